// Contacts (add by username, alias, delete), blocks, and the user search's privacy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { expectError, startServer, users } from './helpers.js';

describe(`contacts and blocks (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser;

	beforeAll(async () => {
		server = await startServer();
		[alice, bob, carol] = await users(server, 'alice', 'bob', 'carol');
	});
	afterAll(() => server?.close());

	it('adds a contact by username (any case) with an alias; adding again returns it (200)', async () => {
		const res = await alice.client.post('/api/contacts', { username: bob.username.toUpperCase(), alias: 'Bobby' });
		expect(res.status).toBe(201);
		expect(res.data.contact).toMatchObject({ user: { id: bob.id, username: bob.username, displayName: 'bob' }, alias: 'Bobby' });
		const again = await alice.client.post('/api/contacts', { userId: bob.id });
		expect(again.status).toBe(200);
		expect(again.data.contact.alias).toBe('Bobby');
		const list = await alice.client.get('/api/contacts');
		expect(list.data.contacts).toEqual([res.data.contact]);
		// Contacts are one-way: bob's list is still empty.
		expect((await bob.client.get('/api/contacts')).data.contacts).toEqual([]);
	});

	it('shows my alias as the title of a direct conversation', async () => {
		const res = await alice.client.post('/api/conversations', { kind: 'direct', userId: bob.id });
		expect(res.data.conversation.title).toBe('Bobby');
		expect(res.data.conversation.other.alias).toBe('Bobby');
	});

	it('renames and clears an alias; deletes a contact', async () => {
		const renamed = await alice.client.patch(`/api/contacts/${bob.id}`, { alias: 'Robert' });
		expect(renamed.status).toBe(200);
		expect(renamed.data.contact.alias).toBe('Robert');
		expect((await alice.client.patch(`/api/contacts/${bob.id}`, { alias: '' })).data.contact.alias).toBeNull();
		expect((await alice.client.delete(`/api/contacts/${bob.id}`)).status).toBe(204);
		expect((await alice.client.get('/api/contacts')).data.contacts).toEqual([]);
		expectError(await alice.client.delete(`/api/contacts/${bob.id}`), 404, 'not_found');
		expectError(await alice.client.patch(`/api/contacts/${bob.id}`, { alias: 'x' }), 404, 'not_found');
	});

	it('refuses bad contact input with 400 naming the field, unknown users with 404, and oneself', async () => {
		expectError(await alice.client.post('/api/contacts', {}), 400, 'invalid_input', 'username');
		expectError(await alice.client.post('/api/contacts', { username: bob.username, userId: bob.id }), 400, 'invalid_input', 'username');
		expectError(await alice.client.post('/api/contacts', { username: bob.username, alias: 'x'.repeat(65) }), 400, 'invalid_input', 'alias');
		expectError(await alice.client.post('/api/contacts', { username: 'nobody_here_at_all' }), 404, 'not_found');
		expectError(await alice.client.post('/api/contacts', { username: alice.username }), 400, 'invalid_input', 'username');
		expectError(await alice.client.patch(`/api/contacts/${bob.id}`, { nickname: 'x' }), 400, 'invalid_input');
	});

	it('blocks and unblocks; lists whom I blocked; refuses nonsense', async () => {
		expect((await carol.client.post('/api/contacts/block', { userId: alice.id })).status).toBe(201);
		expect((await carol.client.post('/api/contacts/block', { userId: alice.id })).status).toBe(204);
		const list = await carol.client.get('/api/contacts/block');
		expect(list.data.blocked).toEqual([{ user: expect.objectContaining({ id: alice.id }), blockedAt: expect.any(String) }]);
		expectError(await carol.client.post('/api/contacts/block', { userId: carol.id }), 400, 'invalid_input', 'userId');
		expectError(await carol.client.post('/api/contacts/block', { userId: 'x' }), 400, 'invalid_input', 'userId');
		expectError(await carol.client.post('/api/contacts/block', { userId: 'b'.repeat(24) }), 404, 'not_found');
		expectError(await carol.client.delete(`/api/contacts/block/${bob.id}`), 404, 'not_found');
	});

	it('user search leaves out people who blocked me, but not people I blocked', async () => {
		// carol blocked alice above.
		const byAlice = await alice.client.get(`/api/users?q=${encodeURIComponent(carol.username)}`);
		expect(byAlice.status).toBe(200);
		expect(byAlice.data.users).toEqual([]);
		const byBob = await bob.client.get(`/api/users?q=${encodeURIComponent(carol.username)}`);
		expect(byBob.data.users.map((u: { id: string }) => u.id)).toEqual([carol.id]);
		const byCarol = await carol.client.get(`/api/users?q=${encodeURIComponent(alice.username)}`);
		expect(byCarol.data.users.map((u: { id: string }) => u.id)).toEqual([alice.id]);
		expect((await carol.client.delete(`/api/contacts/block/${alice.id}`)).status).toBe(204);
		expect((await alice.client.get(`/api/users?q=${encodeURIComponent(carol.username)}`)).data.users).toHaveLength(1);
		expectError(await alice.client.get('/api/users?q='), 400, 'invalid_input', 'q');
	});

	it('findable_by "contacts": a partial match finds me only for my contacts; my exact username always does', async () => {
		const [shy, friend, stranger] = await users(server, 'shyperson', 'friend', 'stranger');
		// Set through the database: exposing the field in /api/me/privacy is the accounts side's (docs/conversations.md).
		expect((await shy.client.patch('/api/me/privacy', { findableBy: 'contacts' })).status).toBe(200);
		expect((await shy.client.post('/api/contacts', { userId: friend.id })).status).toBe(201);
		const partial = shy.username.slice(0, 8);
		const ids = async (who: TestUser, q: string) => (await who.client.get(`/api/users?q=${q}`)).data.users.map((u: { id: string }) => u.id);
		expect(await ids(stranger, partial)).not.toContain(shy.id);
		expect(await ids(friend, partial)).toContain(shy.id);
		expect(await ids(stranger, shy.username)).toEqual([shy.id]);
	});

	it('C13: the blocked person cannot add the blocker as a contact (404, word for word as an unknown name); the blocker may add them', async () => {
		const [bea, sam] = await users(server, 'bea', 'sam');
		expect((await bea.client.post('/api/contacts/block', { userId: sam.id })).status).toBe(201);
		const unknown = await sam.client.post('/api/contacts', { username: 'nobody_at_all_here' });
		expectError(unknown, 404, 'not_found');
		for (const body of [{ userId: bea.id }, { username: bea.username }]) {
			const res = await sam.client.post('/api/contacts', body);
			expectError(res, 404, 'not_found');
			expect(res.data).toEqual(unknown.data);
		}
		expect((await sam.client.get('/api/contacts')).data.contacts).toEqual([]);
		expect((await bea.client.post('/api/contacts', { userId: sam.id })).status).toBe(201);
		expect((await bea.client.delete(`/api/contacts/block/${sam.id}`)).status).toBe(204);
		expect((await sam.client.post('/api/contacts', { userId: bea.id })).status).toBe(201);
	});
});
