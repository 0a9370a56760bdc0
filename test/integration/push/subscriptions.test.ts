// Push subscriptions (SPEC §9, docs/notifications.md): the routes and their 400s, what removes a
// subscription (sign-out, revoked session, password change, disabled or deleted account, 404/410
// from the push service), and endpoints that would reach the host's own network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type TestPushService } from '../../helpers/push-service.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { secondDevice, send, settled, startPushServer, subscribeDevice, writer } from './helpers.js';

/** Test names that resolve as the test says: `rebind.test` points at loopback, `public.test` at a public address. */
const NAMES: Record<string, string> = { 'rebind.test': '127.0.0.1', 'inside.test': '10.1.2.3', 'public.test': '93.184.215.14' };

describe(`push subscriptions (${testDatabaseKind()})`, () => {
	let service: TestPushService;
	let server: TestServer;
	let alice: TestUser, bob: TestUser;
	const clients: SyncClient[] = [];
	const subscriptionsOf = async (userId: string) =>
		(
			await server.db.query<{ id: string; endpoint: string }>('select id, endpoint from push_subscriptions where user_id = $1', [userId])
		).map((r) => r.endpoint);

	beforeAll(async () => {
		service = await startPushService();
		server = await startPushServer(service, {
			options: {
				push: {
					resolve: async (host) => {
						const address = NAMES[host];
						if (!address) throw new Error(`ENOTFOUND ${host}`);
						return [{ address, family: 4 }];
					}
				}
			}
		});
		[alice, bob] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob')];
	});
	afterAll(async () => {
		for (const client of clients.splice(0)) client.destroy();
		await server?.close();
		await service?.close();
	});

	it('GET /api/push/key: the VAPID public key (signed in only), the same pair on another instance', async () => {
		const res = await alice.client.get('/api/push/key');
		expect(res.status).toBe(200);
		expect(Buffer.from(res.data.publicKey, 'base64url')).toHaveLength(65);
		expect((await new TestClient(server.url).get('/api/push/key')).status).toBe(401);
		const other = await startTestServer({ database: server.database });
		try {
			expect((await new TestClient(other.url).get('/api/push/key', { headers: { cookie: alice.cookie } })).data.publicKey).toBe(
				res.data.publicKey
			);
		} finally {
			await other.stop();
		}
	});

	it('POST answers 201, then 200 for the same endpoint; DELETE by endpoint answers 204', async () => {
		const sub = service.subscriber();
		expect((await alice.client.post('/api/push/subscriptions', sub.toJSON())).status).toBe(201);
		expect((await alice.client.post('/api/push/subscriptions', sub.toJSON())).status).toBe(200);
		expect(await subscriptionsOf(alice.id)).toEqual([sub.endpoint]);
		const del = await alice.client.request('DELETE', '/api/push/subscriptions', { json: { endpoint: sub.endpoint } });
		expect(del.status).toBe(204);
		expect(await subscriptionsOf(alice.id)).toEqual([]);
		// someone else's endpoint: 409, and it stays theirs
		const bobs = await subscribeDevice(bob.client, service);
		const taken = await alice.client.post('/api/push/subscriptions', bobs.toJSON());
		expect(taken.status).toBe(409);
		expect(taken.data.error.field).toBe('endpoint');
		expect(await subscriptionsOf(bob.id)).toEqual([bobs.endpoint]);
	});

	it('a bad or disallowed subscription answers 400 naming the field', async () => {
		const good = service.subscriber().toJSON();
		const cases: Array<[unknown, string]> = [
			[{ ...good, endpoint: 'http://push.example.com/x' }, 'endpoint'],
			[{ ...good, endpoint: 'https://127.0.0.1/x' }, 'endpoint'],
			[{ ...good, endpoint: 'https://[::1]/x' }, 'endpoint'],
			[{ ...good, endpoint: 'https://[::ffff:10.0.0.1]/x' }, 'endpoint'],
			[{ ...good, endpoint: 'https://169.254.169.254/latest' }, 'endpoint'],
			[{ ...good, endpoint: 'https://localhost/x' }, 'endpoint'],
			[{ ...good, endpoint: 'https://rebind.test/x' }, 'endpoint'],
			[{ ...good, endpoint: 'https://inside.test/x' }, 'endpoint'],
			[{ ...good, endpoint: 'https://user:pw@public.test/x' }, 'endpoint'],
			[{ ...good, endpoint: `https://public.test/${'a'.repeat(3000)}` }, 'endpoint'],
			[{ ...good, endpoint: 'not a url' }, 'endpoint'],
			[{ ...good, keys: { ...good.keys, p256dh: 'AAAA' } }, 'keys.p256dh'],
			[
				{ ...good, keys: { ...good.keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url') } },
				'keys.p256dh'
			],
			[{ ...good, keys: { ...good.keys, auth: 'short' } }, 'keys.auth'],
			[{ endpoint: good.endpoint }, 'keys'],
			[{ ...good, expirationTime: 'soon' }, 'expirationTime']
		];
		for (const [body, field] of cases) {
			const res = await alice.client.post('/api/push/subscriptions', body);
			expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
			expect(res.data.error.field, JSON.stringify(res.data)).toBe(field);
		}
		// a public https host is fine (never sent to here: nothing is written in this test)
		expect((await alice.client.post('/api/push/subscriptions', { ...good, endpoint: 'https://public.test/abc' })).status).toBe(201);
		await alice.client.request('DELETE', '/api/push/subscriptions', { json: { endpoint: 'https://public.test/abc' } });
	});

	it("lists my devices with their user agent and removes one by id (not someone else's)", async () => {
		const phone = new TestClient(server.url, { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile' });
		expect(
			(await phone.post('/api/auth/login', { username: alice.username, password: `correct horse ${alice.username} battery` })).status
		).toBe(200);
		const sub = await subscribeDevice(phone, service);
		const list = (await alice.client.get('/api/push/subscriptions')).data.devices as Array<Record<string, unknown>>;
		const entry = list.find((d) => d.userAgent?.toString().includes('Android'));
		expect(entry).toMatchObject({ current: false, lastSuccessAt: null });
		expect((await phone.get('/api/push/subscriptions')).data.devices.find((d: { id: string }) => d.id === entry!.id).current).toBe(true);
		expect((await bob.client.delete(`/api/push/subscriptions/${entry!.id}`)).status).toBe(404);
		expect((await alice.client.delete(`/api/push/subscriptions/${entry!.id}`)).status).toBe(204);
		expect(await subscriptionsOf(alice.id)).not.toContain(sub.endpoint);
	});

	it("sign-out, a revoked session and a password change remove that session's subscriptions", async () => {
		const signedOut = await secondDevice(server.url, alice);
		const a = await subscribeDevice(signedOut, service);
		expect((await signedOut.post('/api/auth/logout')).status).toBe(204);
		expect(await subscriptionsOf(alice.id)).not.toContain(a.endpoint);

		const revoked = await secondDevice(server.url, alice);
		const b = await subscribeDevice(revoked, service);
		const sessions = (await alice.client.get('/api/sessions')).data.sessions as Array<{ id: string; current: boolean; lastSeenAt: string }>;
		const other = sessions.filter((s) => !s.current);
		for (const s of other) expect((await alice.client.delete(`/api/sessions/${s.id}`)).status).toBe(204);
		expect(await subscriptionsOf(alice.id)).not.toContain(b.endpoint);

		const kept = await subscribeDevice(alice.client, service);
		const ended = await secondDevice(server.url, alice);
		const c = await subscribeDevice(ended, service);
		const password = `correct horse ${alice.username} battery`;
		const changed = await alice.client.post('/api/auth/password', { currentPassword: password, newPassword: password + '!' });
		expect(changed.status).toBe(204);
		const left = await subscriptionsOf(alice.id);
		expect(left).toContain(kept.endpoint);
		expect(left).not.toContain(c.endpoint);
		await alice.client.post('/api/auth/password', { currentPassword: password + '!', newPassword: password });
	});

	it('an account disabled or deleted by an admin loses every subscription', async () => {
		const admin = await signUp(server.url, 'admin');
		await server.db.query(`update users set role = 'admin' where id = $1`, [admin.id]);
		const dave = await signUp(server.url, 'dave');
		await subscribeDevice(dave.client, service);
		await subscribeDevice(await secondDevice(server.url, dave), service);
		expect(await subscriptionsOf(dave.id)).toHaveLength(2);
		expect((await admin.client.patch(`/api/admin/users/${dave.id}`, { disabled: true })).status).toBe(200);
		expect(await subscriptionsOf(dave.id)).toEqual([]);
		const erin = await signUp(server.url, 'erin');
		await subscribeDevice(erin.client, service);
		const del = await admin.client.delete(`/api/admin/users/${erin.id}`);
		expect(del.status, JSON.stringify(del.data)).toBeLessThan(300);
		expect(await subscriptionsOf(erin.id)).toEqual([]);
	});

	it('a 410 from the push service deletes the subscription; a 429 with Retry-After is tried again', async () => {
		const chat = await createConversation(alice, { kind: 'group', title: 'Gone', memberIds: [bob.id] });
		const gone = await subscribeDevice(bob.client, service);
		const flaky = await subscribeDevice(await secondDevice(server.url, bob), service);
		service.behave(gone, { kind: 'status', status: 410 });
		service.behave(flaky, { kind: 'status', status: 429, retryAfter: '0', times: 2 });
		const w = await writer(server, alice, chat.docName, clients);
		const id = await send(server, w, alice, { text: 'are you there?' });
		await waitFor(() => service.pushesOf(flaky).some((p) => p.payload.messageId === id), { what: 'the push after two 429s' });
		await settled(server);
		expect(service.answered.filter((a) => a.subscriber === flaky.id && a.status === 429)).toHaveLength(2);
		expect(await subscriptionsOf(bob.id)).not.toContain(gone.endpoint);
		expect(await subscriptionsOf(bob.id)).toContain(flaky.endpoint);
	});

	it('a stored endpoint whose name now resolves inside is refused at send time: nothing connects there', async () => {
		const chat = await createConversation(alice, { kind: 'group', title: 'Rebind', memberIds: [bob.id] });
		// As if public.test had resolved publicly at subscribe time and points at loopback now.
		const sessionId = (await server.db.query<{ id: string }>('select id from sessions where user_id = $1 limit 1', [bob.id]))[0]!.id;
		const sub = service.subscriber();
		const keys = sub.toJSON().keys;
		await server.db.query(
			`insert into push_subscriptions (id, user_id, session_id, endpoint, p256dh, auth) values ('rebindsub', $1, $2, $3, $4, $5)`,
			[bob.id, sessionId, `https://rebind.test:${new URL(service.origin).port}/push/${sub.id}`, keys.p256dh, keys.auth]
		);
		const failedBefore = server.parley.runtime.push.stats().delivery.failed;
		const w = await writer(server, alice, chat.docName, clients);
		await send(server, w, alice, { text: 'should not reach loopback' });
		await waitFor(() => server.parley.runtime.push.stats().delivery.failed > failedBefore, { what: 'the refused push' });
		await settled(server);
		expect(service.pushesOf(sub)).toEqual([]);
		expect(service.answered.filter((a) => a.subscriber === sub.id)).toEqual([]);
		const [row] = await server.db.query<{ failures: number }>(`select failures from push_subscriptions where id = 'rebindsub'`);
		expect(row!.failures).toBe(1);
	});
});
