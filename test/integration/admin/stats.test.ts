// GET /api/admin/stats: figures match what was created (users, messages, conversations by kind,
// uploads, relay sockets and commits); 401 signed out, 403 for members.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { signUp, createConversation, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { waitFor, type SyncClient } from '../../helpers/sync.js';
import { sendMessage, startAdminServer } from './helpers.js';

describe(`admin stats (${testDatabaseKind()})`, () => {
	let server: TestServer & { dataDir: string };
	let admin: TestUser, ann: TestUser, ben: TestUser;
	const clients: SyncClient[] = [];

	beforeAll(async () => {
		server = await startAdminServer();
		admin = await signUp(server.url, 'boss');
		ann = await signUp(server.url, 'ann');
		ben = await signUp(server.url, 'ben');
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
		await fs.rm(server?.dataDir ?? '/nonexistent', { recursive: true, force: true });
	});

	it('refuses signed-out callers (401) and members (403) with the error shape', async () => {
		const out = await new TestClient(server.url).get('/api/admin/stats');
		expect(out.status).toBe(401);
		expect(out.data.error.code).toBe('unauthenticated');
		const member = await ann.client.get('/api/admin/stats');
		expect(member.status).toBe(403);
		expect(member.data.error.code).toBe('forbidden');
	});

	it('counts what was created: users, messages today and per hour, conversations by kind, uploads, relay figures', async () => {
		const direct = await createConversation(ann, { kind: 'direct', userId: ben.id });
		const group = await createConversation(ann, { kind: 'group', title: 'G', memberIds: [ben.id] });
		await createConversation(admin, { kind: 'channel', title: 'News' });
		await createConversation(admin, { kind: 'channel', title: 'More news' });
		await sendMessage(server, ann, direct.docName, 'one', clients);
		await sendMessage(server, ben, direct.docName, 'two', clients);
		await sendMessage(server, ben, group.docName, 'three', clients);
		await fs.mkdir(path.join(server.dataDir, 'uploads', 'ab'), { recursive: true });
		await fs.writeFile(path.join(server.dataDir, 'uploads', 'ab', 'file1'), Buffer.alloc(1000, 1));
		await fs.writeFile(path.join(server.dataDir, 'uploads', 'file2'), Buffer.alloc(234, 2));

		const res = await admin.client.get('/api/admin/stats');
		expect(res.status).toBe(200);
		const stats = res.data;
		expect(stats.users).toMatchObject({ total: 3, signedUpThisWeek: 3, onlineNow: 2, disabled: 0, demoAccounts: false });
		// System envelopes ("created", …) are not messages.
		expect(stats.messages).toEqual({ today: 3, total: 3 });
		expect(stats.conversations).toEqual({ direct: 1, group: 1, channel: 2, total: 4 });
		expect(stats.channels).toBe(2);
		expect(stats.uploads).toEqual({ bytes: 1234, files: 2 });
		expect(stats.database.kind).toBe(testDatabaseKind());
		expect(stats.database.bytes).toBeGreaterThan(100_000);
		expect(stats.relay.openSockets).toBe(3);
		expect(stats.relay.loadedDocuments).toBeGreaterThanOrEqual(2);
		expect(stats.relay.commitsLastMinute).toBeGreaterThan(0);
		expect(stats.relay.updatesPerSecond).toBeGreaterThan(0);
		expect(Number.isFinite(stats.relay.commitP99Ms)).toBe(true);
		expect(stats.relay.commitP99Ms).toBeGreaterThanOrEqual(0);
		expect(stats.messagesPerHour).toHaveLength(24);
		expect(stats.messagesPerHour.reduce((sum: number, h: { count: number }) => sum + h.count, 0)).toBe(3);
	});

	it('follows changes: a closed socket and a new message show in the next answer', async () => {
		const before = (await admin.client.get('/api/admin/stats')).data;
		clients.pop()!.destroy();
		const direct = await createConversation(ann, { kind: 'direct', userId: admin.id });
		await sendMessage(server, admin, direct.docName, 'four', clients);
		const after = (await admin.client.get('/api/admin/stats')).data;
		expect(after.messages.total).toBe(before.messages.total + 1);
		expect(after.conversations.direct).toBe(before.conversations.direct + 1);
		expect(after.relay.openSockets).toBe(before.relay.openSockets);
	});

	it('serves at most adminStatsStreamsMax live streams at once (429 beyond), freeing a slot when one closes', async () => {
		const small = await startAdminServer({ limits: { adminStatsStreamsMax: 1, adminStatsIntervalMs: 200 } });
		try {
			const boss = await signUp(small.url, 'boss');
			const first = new AbortController();
			const open = await fetch(`${small.url}/api/admin/stats/stream`, { headers: { cookie: boss.cookie }, signal: first.signal });
			expect(open.status).toBe(200);
			const reader = open.body!.getReader();
			await reader.read();
			const refused = await boss.client.get('/api/admin/stats/stream');
			expect(refused.status).toBe(429);
			expect(refused.data.error.code).toBe('too_many_streams');
			first.abort();
			await waitFor(
				async () => {
					const controller = new AbortController();
					const again = await fetch(`${small.url}/api/admin/stats/stream`, { headers: { cookie: boss.cookie }, signal: controller.signal });
					controller.abort();
					return again.status === 200;
				},
				{ what: 'a slot freed' }
			);
		} finally {
			await small.close();
			await fs.rm(small.dataDir, { recursive: true, force: true });
		}
	});
});
