// What members see live: system envelopes and `meta` in the document, sockets closed on removal
// (4403) and deletion (4404), and no way back in afterwards (SPEC §4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { connectClient, waitFor, type SyncClient } from '../../helpers/sync.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { startServer, syncUrl, upgradeStatus, users } from './helpers.js';

type SystemRecord = { event: string; userId?: string; role?: string; title?: string };
/** Every envelope of a client's copy, system ones included. */
const envelopesOf = (client: SyncClient) =>
	client.doc.getArray<Record<string, unknown>>('messages').toJSON() as Array<Record<string, unknown>>;
const systemOf = (client: SyncClient) =>
	envelopesOf(client)
		.filter((m) => m.kind === 'system')
		.map((m) => ({ author: m.author, ...(m.system as SystemRecord) }));

describe(`conversations live (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser;
	const clients: SyncClient[] = [];
	const connect = (user: TestUser, docName: string) => {
		const client = connectClient({ url: server.url, docName, cookie: user.cookie });
		clients.push(client);
		return client;
	};

	beforeAll(async () => {
		server = await startServer();
		[alice, bob, carol, dave] = await users(server, 'alice', 'bob', 'carol', 'dave');
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it('records creation, additions, role and title changes, leaving, as system envelopes a member sees live', async () => {
		const created = await alice.client.post('/api/conversations', {
			kind: 'group',
			title: 'Live',
			description: 'About',
			memberIds: [bob.id]
		});
		const { id, docName } = created.data.conversation;
		const b = connect(bob, docName);
		await b.synced();
		await waitFor(() => systemOf(b).length === 1, { what: 'created envelope' });
		expect(systemOf(b)).toEqual([{ author: alice.id, event: 'created', title: 'Live' }]);
		expect(b.doc.getMap('meta').toJSON()).toMatchObject({
			kind: 'group',
			title: 'Live',
			description: 'About',
			createdAt: expect.any(Number)
		});

		await alice.client.post(`/api/conversations/${id}/members`, { userId: carol.id });
		await alice.client.patch(`/api/conversations/${id}/members/${carol.id}`, { role: 'admin' });
		await carol.client.patch(`/api/conversations/${id}`, { title: 'Renamed' });
		await carol.client.delete(`/api/conversations/${id}/members/${carol.id}`);
		await waitFor(() => systemOf(b).length === 5, { what: 'five system envelopes' });
		expect(systemOf(b)).toEqual([
			{ author: alice.id, event: 'created', title: 'Live' },
			{ author: alice.id, event: 'member_added', userId: carol.id, role: 'member' },
			{ author: alice.id, event: 'role_changed', userId: carol.id, role: 'admin' },
			{ author: carol.id, event: 'title_changed', title: 'Renamed' },
			{ author: carol.id, event: 'member_left', userId: carol.id }
		]);
		expect(b.doc.getMap('meta').get('title')).toBe('Renamed');
		expect(envelopesOf(b).every((m) => m.text === '' && typeof m.id === 'string' && typeof m.createdAt === 'number')).toBe(true);
		// Mirrored into the messages table like any message (inbox, unread counts, tombstones).
		const rows = await server.db.query<{ kind: string; author_id: string }>(
			`select kind, author_id from messages where doc_name = $1 order by position`,
			[docName]
		);
		expect(rows).toEqual(systemOf(b).map((s) => ({ kind: 'system', author_id: s.author })));
		expect(b.denied).toEqual([]);
	});

	it('an owner leaving is recorded with the hand-over', async () => {
		const { data } = await alice.client.post('/api/conversations', { kind: 'group', title: 'Handover', memberIds: [bob.id] });
		const b = connect(bob, data.conversation.docName);
		await b.synced();
		await alice.client.delete(`/api/conversations/${data.conversation.id}/members/${alice.id}`);
		await waitFor(() => systemOf(b).length === 3, { what: 'left + role_changed' });
		expect(systemOf(b).slice(1)).toEqual([
			{ author: alice.id, event: 'member_left', userId: alice.id },
			{ author: alice.id, event: 'role_changed', userId: bob.id, role: 'owner' }
		]);
	});

	it('closes a removed member’s socket within a second (4403); they cannot open it again; their copy stays', async () => {
		const { data } = await alice.client.post('/api/conversations', { kind: 'group', title: 'Removal', memberIds: [bob.id, carol.id] });
		const { id, docName } = data.conversation;
		const c = connect(carol, docName);
		const b = connect(bob, docName);
		await Promise.all([c.synced(), b.synced()]);
		await waitFor(() => systemOf(c).length === 1, { what: 'carol has the history' });
		const removedAt = Date.now();
		expect((await alice.client.delete(`/api/conversations/${id}/members/${carol.id}`)).status).toBe(204);
		await waitFor(() => c.closes.includes(4403), { what: 'carol closed with 4403', timeoutMs: 1000 });
		expect(Date.now() - removedAt).toBeLessThan(1000);
		expect(await upgradeStatus(syncUrl(server, docName), carol.cookie)).toBe(403);
		expect(systemOf(c)).toHaveLength(1);
		// Bob stays connected and sees the removal.
		await waitFor(() => systemOf(b).some((s) => s.event === 'member_removed' && s.userId === carol.id), { what: 'bob sees the removal' });
		expect(b.closes).toEqual([]);
	});

	it('closes the leaver’s own sockets too', async () => {
		const { data } = await alice.client.post('/api/conversations', { kind: 'group', title: 'Leaving', memberIds: [dave.id] });
		const d = connect(dave, data.conversation.docName);
		await d.synced();
		expect((await dave.client.delete(`/api/conversations/${data.conversation.id}/members/${dave.id}`)).status).toBe(204);
		await waitFor(() => d.closes.includes(4403), { what: 'dave closed with 4403', timeoutMs: 1000 });
		expect(await upgradeStatus(syncUrl(server, data.conversation.docName), dave.cookie)).toBe(403);
	});

	it('deleting a conversation closes every socket (4404) and refuses a later upgrade (403)', async () => {
		const { data } = await alice.client.post('/api/conversations', { kind: 'group', title: 'Doomed', memberIds: [bob.id] });
		const { id, docName } = data.conversation;
		const a = connect(alice, docName);
		const b = connect(bob, docName);
		await Promise.all([a.synced(), b.synced()]);
		expect((await alice.client.delete(`/api/conversations/${id}`)).status).toBe(204);
		await waitFor(() => a.closes.includes(4404) && b.closes.includes(4404), { what: 'both closed with 4404', timeoutMs: 1000 });
		expect(await upgradeStatus(syncUrl(server, docName), bob.cookie)).toBe(403);
		expect(await upgradeStatus(syncUrl(server, docName), alice.cookie)).toBe(403);
	});

	it('emits the events the relay and inbox listen to', async () => {
		const seen: Array<[string, unknown]> = [];
		const events = server.parley.runtime.events;
		const onChanged = (p: unknown) => seen.push(['membershipChanged', p]);
		const onEdited = (p: unknown) => seen.push(['conversationEdited', p]);
		const onDeleted = (p: unknown) => seen.push(['conversationDeleted', p]);
		const onRevoked = (p: unknown) => seen.push(['accessRevoked', p]);
		events.on('membershipChanged', onChanged);
		events.on('conversationEdited', onEdited);
		events.on('conversationDeleted', onDeleted);
		events.on('accessRevoked', onRevoked);
		try {
			const { data } = await alice.client.post('/api/conversations', { kind: 'group', title: 'Events', memberIds: [bob.id] });
			const { id, docName } = data.conversation;
			await bob.client.patch(`/api/conversations/${id}/settings`, { muted: true });
			await alice.client.delete(`/api/conversations/${id}/members/${bob.id}`);
			await alice.client.delete(`/api/conversations/${id}`);
			expect(seen).toEqual([
				['membershipChanged', { conversationId: id, userIds: [alice.id, bob.id] }],
				// Settings are not membership: no socket is re-authorised for them.
				['conversationEdited', { conversationId: id, userIds: [bob.id] }],
				['accessRevoked', { userId: bob.id, docName }],
				['membershipChanged', { conversationId: id }],
				['conversationDeleted', { conversationId: id, userIds: [alice.id] }]
			]);
		} finally {
			events.off('membershipChanged', onChanged);
			events.off('conversationEdited', onEdited);
			events.off('conversationDeleted', onDeleted);
			events.off('accessRevoked', onRevoked);
		}
	});

	it('channel subscribers join unannounced (they do not see each other); admins are announced', async () => {
		const { data } = await alice.client.post('/api/conversations', { kind: 'channel', title: 'Quiet' });
		const { id, docName } = data.conversation;
		await alice.client.post(`/api/conversations/${id}/members`, { userId: bob.id });
		const invite = await alice.client.post(`/api/conversations/${id}/invites`);
		expect((await carol.client.post(`/api/invites/${invite.data.invite.token}`)).status).toBe(201);
		await alice.client.post(`/api/conversations/${id}/members`, { userId: dave.id, role: 'admin' });
		const b = connect(bob, docName);
		await b.synced();
		await waitFor(() => systemOf(b).length === 2, { what: 'created + admin added' });
		expect(systemOf(b).map((s) => [s.event, s.userId ?? null])).toEqual([
			['created', null],
			['member_added', dave.id]
		]);
	});
});
