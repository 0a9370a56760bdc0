/** How a document's access is asked for again, and how "no longer" is told apart from "unreachable". */
import type { DocKind, Role } from '../../sync/check-update.js';

/** Why a document can no longer be synced: the session ended (4401), we were removed (4403), it was deleted (4404). */
export type EndReason = 'sign-out' | 'removed' | 'deleted';

/** Thrown by an access function when the API says the answer is final (401 / 403 / 404). */
export class AccessEndedError extends Error {
	constructor(readonly reason: EndReason) {
		super(`access ended: ${reason}`);
	}
}

/** Asks the API for our role and the document's kind; throws AccessEndedError when it is over, anything else when unreachable. */
export type AccessFn = () => Promise<{ role: Role; kind: DocKind }>;
