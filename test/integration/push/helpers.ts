// Shared by the push tests: a server whose push endpoints may be the loopback test service,
// users with subscribed "devices", and messages written by stock y-websocket clients.
import { expect } from 'vitest';
import { TestClient } from '../../helpers/http.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, waitFor, type SyncClient } from '../../helpers/sync.js';
import type { TestUser } from '../../helpers/users.js';
import type { Subscriber, TestPushService } from '../../helpers/push-service.js';
import { DEFAULT_LIMITS, type Config } from '$lib/server/config';

/** Short timings so tests do not wait on production intervals (coalescing, retries). */
export const TEST_PUSH_LIMITS = { pushCoalesceMs: 300, pushRetryBaseMs: 50, pushReadsFlushMs: 20 };

/** Parley with PUSH_ALLOWED_HOSTS naming the test service; `extra` adds limits or options. */
export async function startPushServer(
	service: TestPushService,
	extra: { limits?: Partial<Config['limits']>; env?: Record<string, string>; options?: Parameters<typeof startTestServer>[0] } = {}
): Promise<TestServer> {
	const server = await startTestServer({
		...extra.options,
		env: { PUSH_ALLOWED_HOSTS: service.host, ...extra.env },
		overrides: { ...extra.options?.overrides, limits: { ...DEFAULT_LIMITS, ...TEST_PUSH_LIMITS, ...extra.limits } }
	});
	service.expectKey(server.parley.runtime.push.publicKey);
	return server;
}

/** Another signed-in device (session) of `user`. */
export async function secondDevice(baseUrl: string, user: TestUser): Promise<TestClient> {
	const client = new TestClient(baseUrl);
	const res = await client.post('/api/auth/login', { username: user.username, password: `correct horse ${user.username} battery` });
	expect(res.status, JSON.stringify(res.data)).toBe(200);
	return client;
}

/** Subscribes a device (its session) to pushes at a new endpoint of the test service. */
export async function subscribeDevice(client: TestClient, service: TestPushService): Promise<Subscriber> {
	const sub = service.subscriber();
	const res = await client.post('/api/push/subscriptions', sub.toJSON());
	expect(res.status, JSON.stringify(res.data)).toBe(201);
	return sub;
}

let messageCounter = 0;
/** A unique message id. */
export const messageId = (prefix = 'm') => `${prefix}${++messageCounter}${Date.now().toString(36)}`;

/** A stock client of `user` on `docName`, synced. */
export async function writer(server: TestServer, user: TestUser, docName: string, clients: SyncClient[]): Promise<SyncClient> {
	const client = connectClient({ url: server.url, docName, cookie: user.cookie });
	clients.push(client);
	await client.synced();
	return client;
}

/** Appends an envelope as `user` and waits until the relay stored it (its row is in `messages`). */
export async function send(server: TestServer, client: SyncClient, user: TestUser, extra: Record<string, unknown> = {}): Promise<string> {
	const id = (extra.id as string) ?? messageId();
	client.doc.getArray('messages').push([{ id, author: user.id, createdAt: Date.now(), text: `hello ${id}`, ...extra }]);
	await waitFor(async () => (await server.db.query('select 1 from messages where id = $1', [id])).length > 0, {
		what: `message ${id} stored`
	});
	return id;
}

/** Waits until the server's push work is done (fan-out, queue, retries). */
export const settled = (server: TestServer) => server.parley.runtime.push.whenIdle();

/** Waits until everything the relay accepted for `docName` is committed, then until push work is done. */
export async function committedAndSettled(server: TestServer, docName: string): Promise<void> {
	await server.parley.relay.rooms.peek(docName)?.whenDurable();
	await settled(server);
}
