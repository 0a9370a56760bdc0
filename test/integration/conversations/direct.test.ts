// Direct conversations: one per pair, privacy (contacts-only) and blocks (docs/conversations.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { expectError, startServer, users } from './helpers.js';

describe(`direct conversations (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, erin: TestUser;

	beforeAll(async () => {
		server = await startServer();
		[alice, bob, carol, dave, erin] = await users(server, 'alice', 'bob', 'carol', 'dave', 'erin');
	});
	afterAll(() => server?.close());

	it('creates one per pair: 201 first, then 200 with the same conversation from either side', async () => {
		const first = await alice.client.post('/api/conversations', { kind: 'direct', userId: bob.id });
		expect(first.status).toBe(201);
		expect(first.data.conversation).toMatchObject({
			kind: 'direct',
			role: 'owner',
			memberCount: 2,
			docName: `conv.${first.data.conversation.id}`
		});
		expect(first.data.conversation.other).toMatchObject({ id: bob.id, username: bob.username, displayName: 'bob' });
		expect(first.data.conversation.title).toBe('bob');
		const again = await alice.client.post('/api/conversations', { kind: 'direct', userId: bob.id });
		expect(again.status).toBe(200);
		expect(again.data.conversation.id).toBe(first.data.conversation.id);
		const fromBob = await bob.client.post('/api/conversations', { kind: 'direct', userId: alice.id });
		expect(fromBob.status).toBe(200);
		expect(fromBob.data.conversation).toMatchObject({ id: first.data.conversation.id, title: 'alice', other: { id: alice.id } });
	});

	it('never duplicates a pair, even for simultaneous requests', async () => {
		const answers = await Promise.all([
			carol.client.post('/api/conversations', { kind: 'direct', userId: dave.id }),
			dave.client.post('/api/conversations', { kind: 'direct', userId: carol.id }),
			carol.client.post('/api/conversations', { kind: 'direct', userId: dave.id })
		]);
		expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
		expect(new Set(answers.map((a) => a.data.conversation.id)).size).toBe(1);
		const rows = await server.db.query(`select id from conversations where kind = 'direct' and direct_key = $1`, [
			[carol.id, dave.id].sort().join(':')
		]);
		expect(rows).toHaveLength(1);
	});

	it('refuses invalid input with 400 naming the field, unknown people with 404, and oneself', async () => {
		expectError(await alice.client.post('/api/conversations', { kind: 'direct' }), 400, 'invalid_input', 'userId');
		expectError(await alice.client.post('/api/conversations', { kind: 'direct', userId: 'nope' }), 400, 'invalid_input', 'userId');
		expectError(await alice.client.post('/api/conversations', { kind: 'nonsense' }), 400, 'invalid_input', 'kind');
		expectError(await alice.client.post('/api/conversations', { kind: 'direct', userId: 'a'.repeat(24) }), 404, 'not_found');
		expectError(await alice.client.post('/api/conversations', { kind: 'direct', userId: alice.id }), 400, 'invalid_input', 'userId');
	});

	it('needs a session (401)', async () => {
		const anonymous = new TestClient(server.url);
		expectError(await anonymous.post('/api/conversations', { kind: 'direct', userId: bob.id }), 401, 'unauthenticated');
		expectError(await anonymous.get('/api/conversations'), 401, 'unauthenticated');
	});

	it('refuses a new conversation when the other person accepts only contacts and I am not one of theirs', async () => {
		expect((await erin.client.patch('/api/me/privacy', { allowConversationsFrom: 'contacts' })).status).toBe(200);
		expectError(await alice.client.post('/api/conversations', { kind: 'direct', userId: erin.id }), 403, 'forbidden', 'userId');
		// Being in my own contacts is not enough: it is erin's list that counts.
		expect((await alice.client.post('/api/contacts', { username: erin.username })).status).toBe(201);
		expectError(await alice.client.post('/api/conversations', { kind: 'direct', userId: erin.id }), 403, 'forbidden');
		expect((await erin.client.post('/api/contacts', { userId: alice.id })).status).toBe(201);
		expect((await alice.client.post('/api/conversations', { kind: 'direct', userId: erin.id })).status).toBe(201);
		// Erin may still start one with anyone.
		expect((await erin.client.post('/api/conversations', { kind: 'direct', userId: bob.id })).status).toBe(201);
	});

	it('refuses when either blocked the other, without telling the blocked one why; unblocking lifts it', async () => {
		const [x, y] = await users(server, 'xavier', 'yolanda');
		expect((await x.client.post('/api/contacts/block', { userId: y.id })).status).toBe(201);
		expectError(await y.client.post('/api/conversations', { kind: 'direct', userId: x.id }), 403, 'forbidden', 'userId');
		expectError(await x.client.post('/api/conversations', { kind: 'direct', userId: y.id }), 403, 'blocked', 'userId');
		expect((await x.client.delete(`/api/contacts/block/${y.id}`)).status).toBe(204);
		const created = await y.client.post('/api/conversations', { kind: 'direct', userId: x.id });
		expect(created.status).toBe(201);
		// A block made later refuses even the existing conversation's lookup.
		expect((await y.client.post('/api/contacts/block', { userId: x.id })).status).toBe(201);
		expectError(await x.client.post('/api/conversations', { kind: 'direct', userId: y.id }), 403, 'forbidden');
	});

	it('returns an existing conversation even when privacy became contacts-only since', async () => {
		const [p, q] = await users(server, 'pat', 'quinn');
		const first = await p.client.post('/api/conversations', { kind: 'direct', userId: q.id });
		expect(first.status).toBe(201);
		expect((await q.client.patch('/api/me/privacy', { allowConversationsFrom: 'contacts' })).status).toBe(200);
		const again = await p.client.post('/api/conversations', { kind: 'direct', userId: q.id });
		expect(again.status).toBe(200);
		expect(again.data.conversation.id).toBe(first.data.conversation.id);
	});

	it('lists and shows it to both members only; direct conversations have no members to add, title, invites, or leaving', async () => {
		const { data } = await alice.client.post('/api/conversations', { kind: 'direct', userId: bob.id });
		const id = data.conversation.id;
		const list = await bob.client.get('/api/conversations');
		expect(list.data.conversations.map((c: { id: string }) => c.id)).toContain(id);
		expect((await bob.client.get(`/api/conversations/${id}`)).data.conversation).toMatchObject({
			id,
			kind: 'direct',
			other: { id: alice.id }
		});
		expectError(await carol.client.get(`/api/conversations/${id}`), 404, 'not_found');
		expectError(await alice.client.post(`/api/conversations/${id}/members`, { userId: carol.id }), 400, 'invalid_input');
		expectError(await alice.client.patch(`/api/conversations/${id}`, { title: 'Ours' }), 400, 'invalid_input');
		expectError(await alice.client.post(`/api/conversations/${id}/invites`), 400, 'invalid_input');
		expectError(await alice.client.delete(`/api/conversations/${id}/members/${alice.id}`), 400, 'invalid_input');
		expectError(await alice.client.delete(`/api/conversations/${id}/members/${bob.id}`), 400, 'invalid_input');
	});

	it('may be deleted by either person; a new one can be started afterwards', async () => {
		const [m, n] = await users(server, 'mia', 'noah');
		const first = await m.client.post('/api/conversations', { kind: 'direct', userId: n.id });
		expect((await n.client.delete(`/api/conversations/${first.data.conversation.id}`)).status).toBe(204);
		expectError(await m.client.get(`/api/conversations/${first.data.conversation.id}`), 404, 'not_found');
		const second = await m.client.post('/api/conversations', { kind: 'direct', userId: n.id });
		expect(second.status).toBe(201);
		expect(second.data.conversation.id).not.toBe(first.data.conversation.id);
	});
});
