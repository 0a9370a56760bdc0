// The client layer in Node against a real Parley: a Session (src/lib/client/sync/session.ts) per
// "page load", with the memory device storage standing in for IndexedDB (same interface; the
// browser backend is exercised by the e2e tests) and stock y-websocket sockets with a cookie.
import type { DocIndexer } from '$lib/client/search/indexer';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createApi, createHttp } from '$lib/client/api';
import { Session } from '$lib/client/sync/session';
import { MemoryDeviceStorage } from '$lib/client/storage/memory';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { clientPool, socketWith } from '../../helpers/sync.js';
import { signUp, type TestUser } from '../../helpers/users.js';

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
	options: { online?: boolean; poolRecent?: number; searchIndex?: DocIndexer } = {}
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
		poolRecent: options.poolRecent ?? 0,
		searchIndex: options.searchIndex
	});
}

/**
 * The lifecycle every client test file shares, registered as hooks: a server with alice and bob
 * (before all), stock clients and sessions closed after each test (plus anything given to
 * `cleanup`), the server closed after all. Read the fields inside tests and hooks, not at load.
 */
export interface ClientTestBed {
	server: TestServer;
	alice: TestUser;
	bob: TestUser;
	stock: ReturnType<typeof clientPool>;
	open(user: TestUser, storage: MemoryDeviceStorage, options?: Parameters<typeof openSession>[3]): Promise<Session>;
	track(session: Session): Session;
	close(session: Session): void;
	cleanup(fn: () => void): void;
}

export function clientTestBed(): ClientTestBed {
	const cleanups: (() => void)[] = [];
	const sessions = new Set<Session>();
	const bed: ClientTestBed = {
		server: undefined as unknown as TestServer,
		alice: undefined as unknown as TestUser,
		bob: undefined as unknown as TestUser,
		/** stock y-websocket clients, destroyed after each test */
		stock: clientPool(() => bed.server.url),
		/** Opens a session that is destroyed after the test. */
		async open(user, storage, options) {
			return bed.track(await openSession(bed.server, user, storage, options));
		},
		/** Destroys `session` after the test. */
		track(session) {
			sessions.add(session);
			return session;
		},
		/** Destroys `session` now (a "page" closed mid-test). */
		close(session) {
			sessions.delete(session);
			session.destroy();
		},
		/** Runs `fn` after the test. */
		cleanup(fn) {
			cleanups.push(fn);
		}
	};
	beforeAll(async () => {
		bed.server = await startTestServer();
		[bed.alice, bed.bob] = [await signUp(bed.server.url, 'alice'), await signUp(bed.server.url, 'bob')];
	});
	afterEach(() => {
		bed.stock.destroyAll();
		for (const session of sessions) session.destroy();
		sessions.clear();
		for (const fn of cleanups.splice(0)) fn();
	});
	afterAll(async () => {
		await bed.server?.close();
	});
	return bed;
}

export { MemoryDeviceStorage };
