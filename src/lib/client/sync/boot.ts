/**
 * Who is signed in on this browser, without depending on the network: the server's answer when
 * it gives one, else the last signed-in user cached on the device (offline boot). Whoever the
 * cache holds that the server no longer signs in (401, or another user signed in through the
 * form) is wiped first: the next person on this browser sees nothing of the previous one.
 */
import { ApiError, type Api, type ApiUser } from '../api/index.js';
import type { DeviceStorage } from '../storage/types.js';
import type { Me } from '../state/types.js';
import { toPerson } from '../../shared/people.js';

/** `GET /api/me`'s answer as the client keeps it. */
export function toMe(user: ApiUser, inboxDocName?: string): Me {
	return { ...toPerson(user), ...(inboxDocName ? { inboxDocName } : {}) };
}

/** The user to open, or `signedOut` (go to the sign-in page). Asks GET /api/session: signed out is a 200, not a 401. */
export async function resolveUser(storage: DeviceStorage, api: Api): Promise<{ me: Me; offline: boolean } | { signedOut: true }> {
	const cached = (await storage.lastUser<Me>()) ?? null;
	try {
		const answer = await api.session();
		if (!answer.user) {
			if (cached) await storage.wipe(cached.id);
			return { signedOut: true };
		}
		const me = toMe(answer.user, answer.inboxDocName);
		if (cached && cached.id !== me.id) await storage.wipe(cached.id);
		return { me, offline: false };
	} catch (error) {
		if (error instanceof ApiError && error.status === 401) {
			if (cached) await storage.wipe(cached.id);
			return { signedOut: true };
		}
		// no answer (offline) or a server error: the cached user, if any, opens from the device
		return cached ? { me: cached, offline: true } : { signedOut: true };
	}
}
