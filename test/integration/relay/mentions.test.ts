// Mentions through the live relay: R28 (only members are mentioned), with the room's member set
// following joins and removals, and the inbox's "@" mark for an unread mention.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { clientPool, messagesOf, waitFor } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import type { InboxEntry } from '$lib/sync/schema';

const envelope = (id: string, author: string, mentions: string[]) => ({ id, author, createdAt: Date.now(), text: '@someone', mentions });

describe(`mentions (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser, mallory: TestUser;
	const pool = clientPool(() => server.url);

	beforeAll(async () => {
		server = await startTestServer();
		[alice, bob, carol, mallory] = [
			await signUp(server.url, 'alice'),
			await signUp(server.url, 'bob'),
			await signUp(server.url, 'carol'),
			await signUp(server.url, 'mallory')
		];
	});
	afterEach(() => pool.destroyAll());
	afterAll(async () => server?.close());

	it('[R28] a member may be mentioned; anyone else is refused, and the member set follows joins and removals', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Mentions', memberIds: [bob.id] });
		const a = pool.open(alice, group.docName);
		const watcher = pool.open(bob, group.docName);
		await Promise.all([a.synced(), watcher.synced()]);
		a.doc.getArray('messages').push([envelope('ok1', alice.id, [bob.id])]);
		await waitFor(() => messagesOf(watcher.doc).some((m) => m.id === 'ok1'), { what: 'the mention of a member' });

		const stranger = pool.open(alice, group.docName);
		await stranger.synced();
		stranger.doc.getArray('messages').push([envelope('bad1', alice.id, [mallory.id])]);
		await waitFor(() => stranger.denied.length > 0, { what: 'the refusal' });
		expect(stranger.denied[0]).toMatch(/^R28:/);

		// carol joins: mentionable from then on
		expect((await alice.client.post(`/api/conversations/${group.id}/members`, { userId: carol.id })).status).toBe(201);
		const room = server.parley.relay.rooms.peek(group.docName)!;
		await waitFor(() => room.memberIds?.has(carol.id), { what: 'carol in the member set' });
		const c1 = pool.open(alice, group.docName);
		await c1.synced();
		c1.doc.getArray('messages').push([envelope('ok2', alice.id, [carol.id])]);
		await waitFor(() => messagesOf(watcher.doc).some((m) => m.id === 'ok2'), { what: 'the mention of the new member' });
		expect(c1.denied).toEqual([]);

		// bob is removed: no longer mentionable
		expect((await alice.client.delete(`/api/conversations/${group.id}/members/${bob.id}`)).status).toBe(204);
		await waitFor(() => !room.memberIds?.has(bob.id), { what: 'bob out of the member set' });
		const c2 = pool.open(alice, group.docName);
		await c2.synced();
		c2.doc.getArray('messages').push([envelope('bad2', alice.id, [bob.id])]);
		await waitFor(() => c2.denied.length > 0, { what: 'the refusal after removal' });
		expect(c2.denied[0]).toMatch(/^R28:/);
		expect((await server.db.query(`select id from messages where doc_name = $1 and id like 'bad%'`, [group.docName])).length).toBe(0);
	});

	it('the inbox marks a conversation with an unread mention of its owner until they read past it', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Marked', memberIds: [bob.id, carol.id] });
		const inbox = await pool.inboxOf(bob);
		await inbox.synced();
		const entry = () => inbox.doc.getMap<InboxEntry>('conversations').get(group.id);
		const a = pool.open(alice, group.docName);
		await a.synced();
		a.doc.getArray('messages').push([envelope('plain1', alice.id, [carol.id])]);
		await waitFor(() => entry()?.lastMessage?.id === 'plain1', { what: 'the inbox entry' });
		expect(entry()!.mentioned).toBe(false);
		a.doc.getArray('messages').push([envelope('men1', alice.id, [bob.id])]);
		await waitFor(() => entry()?.mentioned === true, { what: 'the @ mark' });
		const b = pool.open(bob, group.docName);
		await b.synced();
		b.doc.getMap('reads').set(bob.id, { messageId: 'men1', at: Date.now() });
		await waitFor(() => entry()?.mentioned === false && entry()?.unread === 0, { what: 'the mark cleared by reading' });
	});
});
