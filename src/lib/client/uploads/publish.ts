/**
 * Publishing a media message once its uploads are done: one `send` into the conversation's
 * document (whether or not a view has it open), then the background pool holds the document until
 * the relay confirmed it, as for any write left pending.
 */
import { findMessage, SyncWriteError } from '../../sync/doc-ops.js';
import type { Envelope } from '../../sync/schema.js';
import type { Session } from '../sync/session.js';
import { MediaOutbox } from './media-outbox.js';
import { UploadFailure, xhrUploader } from './request.js';

export async function publishEnvelope(session: Session, conversationId: string, envelope: Envelope): Promise<void> {
	const handle = await session.acquire(conversationId);
	try {
		// published already (by a tab that closed before forgetting the record): the same id twice is refused
		const sync = handle.sync;
		const known =
			findMessage(sync.doc, envelope.id) !== null || sync.queued.some((op) => op.kind === 'send' && op.envelope.id === envelope.id);
		if (!known) sync.write({ kind: 'send', envelope });
		// the pool opens it again before this handle closes it, and keeps it until the relay confirmed
		session.pool.flush([conversationId]);
	} catch (error) {
		// the shared write helper refused it (as the relay would): final, shown with the reason
		if (error instanceof SyncWriteError) throw new UploadFailure(400, 'refused', error.message, false);
		throw error;
	} finally {
		handle.release();
	}
}

/** The session's media outbox: uploads from this browser, published into the session's documents. */
export function createMediaOutbox(session: Session, onStorageError: (error: unknown) => void): MediaOutbox {
	return new MediaOutbox({
		store: session.user.media,
		upload: xhrUploader(),
		publish: (conversationId, envelope) => publishEnvelope(session, conversationId, envelope),
		me: session.me.id,
		online: () => session.online && !session.isEnded,
		onStorageError
	});
}
