// The client layer in Node against a real Parley: a Session (src/lib/client/sync/session.ts) per
// "page load", with the memory device storage standing in for IndexedDB (same interface; the
// browser backend is exercised by the e2e tests) and stock y-websocket sockets with a cookie.
import { createApi, createHttp } from '$lib/client/api';
import { Session } from '$lib/client/sync/session';
import { MemoryDeviceStorage } from '$lib/client/storage/memory';
import type { TestServer } from '../../helpers/server.js';
import { socketWith } from '../../helpers/sync.js';
import type { TestUser } from '../../helpers/users.js';

/** Reconnects fast in tests (the policy's shape, smaller numbers). */
export const FAST_RECONNECT = { baseDelayMs: 20, maxDelayMs: 200, penaltyAttempts: 1, reauthorizeAfterFailures: 4 };

/** A fetch that sends `user`'s cookie, as the browser would for same-origin requests. */
export function fetchAs(user: TestUser, server: TestServer): typeof fetch {
	return (input, init = {}) =>
		fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: user.cookie, origin: server.origin } });
}

/** Opens a Session for `user` on `storage` (one "page load" of one browser). */
export async function openSession(
	server: TestServer,
	user: TestUser,
	storage: MemoryDeviceStorage,
	options: { online?: boolean; poolRecent?: number } = {}
): Promise<Session> {
	const api = createApi(createHttp({ origin: server.url, fetch: fetchAs(user, server) }));
	return Session.open({
		me: { id: user.id, username: user.username, displayName: user.username },
		origin: server.url,
		api,
		storage,
		WebSocketPolyfill: socketWith({ cookie: user.cookie }),
		reconnectLimits: FAST_RECONNECT,
		online: options.online,
		poolRecent: options.poolRecent ?? 0
	});
}

export { MemoryDeviceStorage };
