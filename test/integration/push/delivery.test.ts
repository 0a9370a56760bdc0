// Delivery never slows a message: with a push service that never answers, every message still
// reaches the other members (the relay does not wait on pushes), and with several instances
// (REDIS_URL) each message is pushed once, by the instance that committed it.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type Subscriber, type TestPushService } from '../../helpers/push-service.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../helpers/database.js';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { send, settled, startPushServer, subscribeDevice, TEST_PUSH_LIMITS, writer } from './helpers.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** p-th percentile of `values` (nearest rank). */
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!;

describe(`web push delivery (${testDatabaseKind()})`, () => {
	const clients: SyncClient[] = [];
	afterEach(() => {
		for (const client of clients.splice(0)) client.destroy();
	});

	describe('a dead push service', () => {
		let service: TestPushService;
		let server: TestServer;
		let alice: TestUser, bob: TestUser;
		let members: TestUser[];
		beforeAll(async () => {
			service = await startPushService();
			// Requests hang far longer than the test: none may finish while we measure.
			server = await startPushServer(service, { limits: { pushRequestTimeoutMs: 120_000, rateRegisterAddressMax: 100 } });
			[alice, bob] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob')];
			members = [];
			for (let i = 0; i < 20; i++) members.push(await signUp(server.url, `m${i}`));
		});
		afterAll(async () => {
			await server?.close();
			await service?.close();
		});

		/** Sends `n` messages from alice, each after the last arrived at bob; returns each one's delivery time. */
		async function deliveries(docName: string, n: number): Promise<number[]> {
			const w = await writer(server, alice, docName, clients);
			const reader = await writer(server, bob, docName, clients);
			const times: number[] = [];
			for (let i = 0; i < n; i++) {
				const id = `d${i}x${randomBytes(3).toString('hex')}`;
				const start = performance.now();
				w.doc.getArray('messages').push([{ id, author: alice.id, createdAt: Date.now(), text: `ping ${i}` }]);
				await waitFor(() => messagesOf(reader.doc).some((m) => m.id === id), { what: `bob receives ${id}` });
				times.push(performance.now() - start);
			}
			return times;
		}

		it('delays no message delivery: every message arrives while every push hangs unanswered', async () => {
			const baseline = await createConversation(alice, {
				kind: 'group',
				title: 'Baseline',
				memberIds: [bob.id, ...members.map((m) => m.id)]
			});
			const without = await deliveries(baseline.docName, 40);

			const subs: Subscriber[] = [];
			for (const m of members) {
				const sub = await subscribeDevice(m.client, service);
				service.behave(sub, { kind: 'hang' });
				subs.push(sub);
			}
			const chat = await createConversation(alice, { kind: 'group', title: 'Dead', memberIds: [bob.id, ...members.map((m) => m.id)] });
			const withDead = await deliveries(chat.docName, 40);
			// The push service holds requests it never answers, up to the concurrency bound...
			await waitFor(() => service.answered.filter((a) => a.status === 'hang').length >= server.config.limits.pushConcurrency, {
				what: 'hanging pushes'
			});
			const stats = server.parley.runtime.push.stats();
			// ...and not one push finished, yet all 40 messages arrived.
			expect(stats.delivery.sent + stats.delivery.failed).toBe(0);
			expect(stats.queued).toBeGreaterThanOrEqual(members.length);
			expect(withDead).toHaveLength(40);
			console.info(
				`fan-out to one reader, 22-member group, 40 messages: p50/p99 ${percentile(without, 50).toFixed(1)}/${percentile(without, 99).toFixed(1)} ms without push, ` +
					`${percentile(withDead, 50).toFixed(1)}/${percentile(withDead, 99).toFixed(1)} ms with ${members.length} pushes hanging (figures only; the bench compares them)`
			);
		});
	});

	describe('several instances (REDIS_URL)', () => {
		let service: TestPushService;
		let database: TestDatabase;
		let a: TestServer;
		let b: TestServer;
		let alice: TestUser, bob: TestUser, carol: TestUser;
		const prefix = `parley-test:${randomBytes(6).toString('hex')}:`;
		beforeAll(async () => {
			service = await startPushService();
			database = await createTestDatabase();
			const start = () =>
				startTestServer({
					database,
					env: { REDIS_URL, PUSH_ALLOWED_HOSTS: service.host },
					overrides: { redisPrefix: prefix, limits: { ...DEFAULT_LIMITS, ...TEST_PUSH_LIMITS } }
				});
			a = await start();
			b = await start();
			expect(b.parley.runtime.push.publicKey).toBe(a.parley.runtime.push.publicKey);
			service.expectKey(a.parley.runtime.push.publicKey);
			[alice, bob, carol] = [await signUp(a.url, 'alice'), await signUp(a.url, 'bob'), await signUp(a.url, 'carol')];
		});
		afterAll(async () => {
			await a?.stop();
			await b?.stop();
			await database?.destroy();
			await service?.close();
		});

		it('push each message once: the instance that committed it sends it', async () => {
			const phone = await subscribeDevice(carol.client, service);
			const chat = await createConversation(alice, { kind: 'group', title: 'Scale', memberIds: [bob.id, carol.id] });
			const onA = await writer(a, alice, chat.docName, clients);
			const onB = await writer(b, bob, chat.docName, clients);
			const sent: string[] = [];
			for (let i = 0; i < 6; i++) {
				const [server, client, user] = i % 2 ? [b, onB, bob] : [a, onA, alice];
				const id = await send(server, client, user, { text: `message ${i}` });
				sent.push(id);
				// one at a time, so coalescing does not merge them: each must show up on its own
				await waitFor(() => service.pushesOf(phone).some((p) => p.payload.messageId === id), { what: `push for ${id}` });
			}
			await Promise.all([settled(a), settled(b)]);
			const ids = service.pushesOf(phone).map((p) => p.payload.messageId);
			expect(ids).toEqual(sent);
			expect(service.pushesOf(phone).map((p) => p.payload.count)).toEqual([1, 2, 3, 4, 5, 6]);
		});
	});
});
