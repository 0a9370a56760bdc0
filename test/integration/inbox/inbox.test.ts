// The inbox document: one live, server-written entry per conversation, kept current as messages
// arrive, as people read, and as memberships change (issue 5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { clientPool, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';

type Entry = {
	conversationId: string;
	title: string;
	kind: string;
	role: string;
	unread: number;
	lastMessage: { id: string; preview: string; authorId: string } | null;
	activityAt: number;
	peerId?: string;
};
const entries = (doc: Y.Doc) => doc.getMap('conversations').toJSON() as Record<string, Entry>;

describe(`inbox (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser;
	let group: { id: string; docName: string };
	let direct: { id: string; docName: string };
	const { open, inboxOf, destroyAll } = clientPool(() => server.url);
	const say = (client: SyncClient, author: TestUser, id: string, text: string) =>
		client.doc.getArray('messages').push([{ id, author: author.id, createdAt: Date.now(), text }]);

	beforeAll(async () => {
		server = await startTestServer();
		[alice, bob, carol] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob'), await signUp(server.url, 'carol')];
		group = await createConversation(alice, { kind: 'group', title: 'Hikers', memberIds: [bob.id, carol.id] });
		direct = await createConversation(alice, { kind: 'direct', userId: bob.id });
	});
	afterAll(async () => {
		destroyAll();
		await server?.close();
	});

	it('lists every conversation on first open, a direct one titled by the other person', async () => {
		const inbox = await inboxOf(bob);
		await inbox.synced();
		await waitFor(() => Object.keys(entries(inbox.doc)).length === 2, { what: "bob's two entries" });
		const e = entries(inbox.doc);
		// The last message so far is the system notice of the group's creation; notices are never unread.
		expect(e[group.id]).toMatchObject({ kind: 'group', title: 'Hikers', role: 'member', unread: 0, lastMessage: { kind: 'system' } });
		expect(e[direct.id]).toMatchObject({ kind: 'direct', title: 'alice', peerId: alice.id, unread: 0 });
	});

	it('shows a new message with its preview and counts it unread', async () => {
		const inbox = await inboxOf(bob);
		const conversation = open(alice, group.docName);
		await Promise.all([inbox.synced(), conversation.synced()]);
		say(conversation, alice, 'g1', 'Meet at the trailhead at 8');
		await waitFor(() => entries(inbox.doc)[group.id]?.lastMessage?.id === 'g1', { what: 'g1 in the inbox' });
		const entry = entries(inbox.doc)[group.id]!;
		expect(entry.lastMessage).toMatchObject({ preview: 'Meet at the trailhead at 8', authorId: alice.id });
		expect(entry.unread).toBe(1);
		// The author's own message is not unread for them.
		const aliceInbox = await inboxOf(alice);
		await waitFor(() => entries(aliceInbox.doc)[group.id]?.lastMessage?.id === 'g1', { what: "g1 in alice's inbox" });
		expect(entries(aliceInbox.doc)[group.id]!.unread).toBe(0);
	});

	it('keeps the read position a max-register over devices, whatever order they report in', async () => {
		const inbox = await inboxOf(bob);
		const writer = open(alice, group.docName);
		const phone = open(bob, group.docName);
		const laptop = open(bob, group.docName);
		await Promise.all([inbox.synced(), writer.synced(), phone.synced(), laptop.synced()]);
		say(writer, alice, 'g2', 'second');
		say(writer, alice, 'g3', 'third');
		await waitFor(() => entries(inbox.doc)[group.id]?.unread === 3, { what: 'three unread' });
		const has = (client: SyncClient, id: string) =>
			client.doc
				.getArray<{ id: string }>('messages')
				.toArray()
				.some((m) => m.id === id);
		await waitFor(() => has(phone, 'g3') && has(laptop, 'g3'), { what: 'both devices have g3' });
		phone.doc.getMap('reads').set(`${bob.id}:phone`, { messageId: 'g3', at: Date.now() });
		await waitFor(() => entries(inbox.doc)[group.id]?.unread === 0, { what: 'all read' });
		// The laptop only now reports an older position: the count must not go back up.
		laptop.doc.getMap('reads').set(`${bob.id}:laptop`, { messageId: 'g1', at: Date.now() });
		say(writer, alice, 'g4', 'fourth');
		await waitFor(() => entries(inbox.doc)[group.id]?.lastMessage?.id === 'g4', { what: 'g4 arrives' });
		expect(entries(inbox.doc)[group.id]!.unread).toBe(1);
		const [marker] = await server.db.query<{ message_id: string }>(
			`select message_id from read_markers where doc_name = $1 and user_id = $2`,
			[group.docName, bob.id]
		);
		expect(marker!.message_id).toBe('g3');
	});

	it('takes a private read position from someone with receipts off, invisible to others', async () => {
		const inbox = await inboxOf(carol);
		await inbox.synced();
		await waitFor(() => (entries(inbox.doc)[group.id]?.unread ?? 0) >= 4, { what: "carol's unread" });
		expect((await carol.client.post(`/api/conversations/${group.id}/read`, { messageId: 'g4' })).status).toBe(204);
		await waitFor(() => entries(inbox.doc)[group.id]?.unread === 0, { what: 'carol read all' });
		// Going back is refused silently (a max-register), and nothing appears in the shared document.
		expect((await carol.client.post(`/api/conversations/${group.id}/read`, { messageId: 'g1' })).status).toBe(204);
		const doc = open(alice, group.docName);
		await doc.synced();
		expect(Object.keys(doc.doc.getMap('reads').toJSON()).some((key) => key.startsWith(carol.id))).toBe(false);
	});

	it('[R24] turning receipts off removes my markers for everyone and refuses new ones; private reads still count', async () => {
		const watcher = open(alice, group.docName);
		const bobs = open(bob, group.docName);
		await Promise.all([watcher.synced(), bobs.synced()]);
		const bobKeys = () => Object.keys(watcher.doc.getMap('reads').toJSON()).filter((key) => key.startsWith(bob.id));
		await waitFor(() => bobKeys().length > 0, { what: "bob's markers from earlier" });
		expect((await bob.client.patch('/api/me/privacy', { readReceipts: false })).status).toBe(200);
		await waitFor(() => bobKeys().length === 0, { what: "bob's markers removed" });
		// The open socket now refuses bob's read keys (R24) and passes nothing on.
		const room = server.parley.relay.rooms.peek(group.docName)!;
		await waitFor(() => [...room.connections].some((c) => c.userId === bob.id && c.access.readReceipts === false), {
			what: 'socket re-read'
		});
		await waitFor(() => bobs.doc.getMap('reads').size === watcher.doc.getMap('reads').size, { what: "bob's copy without his keys" });
		bobs.doc.getMap('reads').set(bob.id, { messageId: 'g4', at: Date.now() });
		await waitFor(() => bobs.denied.length > 0, { what: 'R24 refusal' });
		expect(bobs.denied[0]).toMatch(/^R24/);
		expect(bobKeys()).toEqual([]);
		// His own unread count still moves, through the private route.
		const inbox = await inboxOf(bob);
		await inbox.synced();
		say(watcher, alice, 'g5', 'fifth');
		await waitFor(() => entries(inbox.doc)[group.id]?.lastMessage?.id === 'g5', { what: 'g5 in bob’s inbox' });
		expect(entries(inbox.doc)[group.id]!.unread).toBeGreaterThan(0);
		expect((await bob.client.post(`/api/conversations/${group.id}/read`, { messageId: 'g5' })).status).toBe(204);
		await waitFor(() => entries(inbox.doc)[group.id]?.unread === 0, { what: 'bob read privately' });
		expect((await bob.client.patch('/api/me/privacy', { readReceipts: true })).status).toBe(200);
	});

	it('refuses a private read of an unknown message or by a non-member', async () => {
		const unknown = await carol.client.post(`/api/conversations/${group.id}/read`, { messageId: 'nope' });
		expect(unknown.status).toBe(400);
		expect(unknown.data.error.message).toMatch(/^messageId:/);
		const outsider = await signUp(server.url, 'outsider');
		expect((await outsider.client.post(`/api/conversations/${group.id}/read`, { messageId: 'g1' })).status).toBe(404);
		expect((await carol.client.post(`/api/conversations/${group.id}/read`, { nope: 1 })).status).toBe(400);
	});

	it('rebuilds an inbox that was closed while things happened', async () => {
		const dave = await signUp(server.url, 'dave');
		const team = await createConversation(alice, { kind: 'group', title: 'Later', memberIds: [dave.id] });
		const writer = open(alice, team.docName);
		await writer.synced();
		say(writer, alice, 'l1', 'while you were away');
		await waitFor(async () => (await server.db.query(`select 1 from messages where id = 'l1'`)).length === 1);
		const inbox = await inboxOf(dave);
		await inbox.synced();
		await waitFor(() => entries(inbox.doc)[team.id]?.lastMessage?.id === 'l1', { what: "dave's rebuilt entry" });
		expect(entries(inbox.doc)[team.id]!.unread).toBe(1);
	});

	it('adds and removes entries as memberships change', async () => {
		const erin = await signUp(server.url, 'erin');
		const inbox = await inboxOf(erin);
		await inbox.synced();
		expect(Object.keys(entries(inbox.doc))).toEqual([]);
		expect((await alice.client.post(`/api/conversations/${group.id}/members`, { userId: erin.id })).status).toBe(201);
		await waitFor(() => entries(inbox.doc)[group.id] !== undefined, { what: 'erin gets the group' });
		expect((await alice.client.delete(`/api/conversations/${group.id}/members/${erin.id}`)).status).toBe(204);
		await waitFor(() => entries(inbox.doc)[group.id] === undefined, { what: 'erin loses the group' });
	});
});
