// Stock y-websocket clients sync through the relay; who may connect (SPEC §4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, messagesOf, upgradeStatus, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';

const envelope = (id: string, author: string, text: string) => ({ id, author, createdAt: Date.now(), text });

describe(`relay sync (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;
	let bob: TestUser;
	let carol: TestUser;
	let docName: string;
	const clients: SyncClient[] = [];
	const connect = (user: TestUser, name = docName, doc?: Y.Doc) => {
		const client = connectClient({ url: server.url, docName: name, cookie: user.cookie, doc });
		clients.push(client);
		return client;
	};

	beforeAll(async () => {
		server = await startTestServer();
		[alice, bob, carol] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob'), await signUp(server.url, 'carol')];
		docName = (await createConversation(alice, { kind: 'group', title: 'Team', memberIds: [bob.id] })).docName;
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it('two stock clients sync messages both ways, and a late joiner gets the history', async () => {
		const a = connect(alice);
		const b = connect(bob);
		await Promise.all([a.synced(), b.synced()]);
		a.doc.getArray('messages').push([envelope('m1', alice.id, 'hello')]);
		await waitFor(() => messagesOf(b.doc).length === 1, { what: 'bob sees m1' });
		b.doc.getArray('messages').push([envelope('m2', bob.id, 'hi alice')]);
		await waitFor(() => messagesOf(a.doc).length === 2, { what: 'alice sees m2' });
		const late = connect(bob);
		await late.synced();
		await waitFor(() => messagesOf(late.doc).length === 2, { what: 'late joiner has history' });
		expect(messagesOf(late.doc).map((m) => m.text)).toEqual(['hello', 'hi alice']);
		expect(a.denied).toEqual([]);
	});

	it('stores accepted messages and mirrors them into the messages table', async () => {
		const rows = await server.db.query<{ id: string; author_id: string; text: string }>(
			`select id, author_id, text from messages where doc_name = $1 and kind <> 'system' order by position`,
			[docName]
		);
		expect(rows).toEqual([
			{ id: 'm1', author_id: alice.id, text: 'hello' },
			{ id: 'm2', author_id: bob.id, text: 'hi alice' }
		]);
		const stored = await server.parley.relay['options'].storage.load(docName);
		const doc = new Y.Doc();
		for (const update of stored.updates) Y.applyUpdate(doc, update);
		expect(messagesOf(doc).map((m) => m.id)).toEqual(['m1', 'm2']);
	});

	it('refuses an upgrade without a session (401)', async () => {
		expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/sync/${docName}`, {})).toBe(401);
		expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/sync/${docName}`, { cookie: 'session=nonsense' })).toBe(401);
	});

	it('refuses an upgrade from a foreign Origin (403), and accepts our own', async () => {
		const url = `${server.url.replace('http', 'ws')}/sync/${docName}`;
		expect(await upgradeStatus(url, { cookie: alice.cookie, origin: 'https://evil.example' })).toBe(403);
		expect(await upgradeStatus(url, { cookie: alice.cookie, origin: server.origin })).toBe(101);
	});

	it('refuses non-members and unknown documents (403)', async () => {
		const base = `${server.url.replace('http', 'ws')}/sync/`;
		expect(await upgradeStatus(base + docName, { cookie: carol.cookie })).toBe(403);
		expect(await upgradeStatus(base + 'conv.aaaaaaaaaaaaaaaaaaaaaaaa', { cookie: alice.cookie })).toBe(403);
		expect(await upgradeStatus(base + 'not-a-doc', { cookie: alice.cookie })).toBe(403);
	});

	it("opens one's own inbox only", async () => {
		const base = `${server.url.replace('http', 'ws')}/sync/`;
		const me = await alice.client.get('/api/me');
		expect(await upgradeStatus(base + me.data.inboxDocName, { cookie: alice.cookie })).toBe(101);
		expect(await upgradeStatus(base + me.data.inboxDocName, { cookie: bob.cookie })).toBe(403);
	});

	it('[G7] closes a removed member’s sockets within a second; they cannot sync again', async () => {
		const conversation = await createConversation(alice, { kind: 'group', title: 'Short-lived', memberIds: [carol.id] });
		const c = connect(carol, conversation.docName);
		await c.synced();
		const removedAt = Date.now();
		const res = await alice.client.delete(`/api/conversations/${conversation.id}/members/${carol.id}`);
		expect(res.status).toBe(204);
		await waitFor(() => c.closes.includes(4403), { what: 'carol closed with 4403' });
		expect(Date.now() - removedAt).toBeLessThan(1000);
		const url = `${server.url.replace('http', 'ws')}/sync/${conversation.docName}`;
		expect(await upgradeStatus(url, { cookie: carol.cookie })).toBe(403);
	});

	it('[G7] closes the sockets of a session that signs out', async () => {
		const dave = await signUp(server.url, 'dave');
		const conversation = await createConversation(dave, { kind: 'group', title: 'Dave', memberIds: [] });
		const d = connect(dave, conversation.docName);
		await d.synced();
		expect((await dave.client.post('/api/auth/logout')).status).toBe(204);
		await waitFor(() => d.closes.includes(4401), { what: 'dave closed with 4401' });
	});

	it('[G10] loads a document once for many simultaneous connections', async () => {
		const conversation = await createConversation(alice, { kind: 'group', title: 'Crowd', memberIds: [] });
		const crowd = Array.from({ length: 8 }, () => connect(alice, conversation.docName));
		await Promise.all(crowd.map((c) => c.synced()));
		const rooms = [...server.parley.relay.rooms.all()].filter((r) => r.name === conversation.docName);
		expect(rooms).toHaveLength(1);
		expect(rooms[0]!.connections.size).toBe(8);
	});
});

describe(`relay re-reads roles (${testDatabaseKind()})`, () => {
	let server: TestServer;
	const clients: SyncClient[] = [];
	beforeAll(async () => {
		server = await startTestServer();
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it('[G7] a demoted admin loses moderator rights on an open socket at once', async () => {
		const owner = await signUp(server.url, 'owner');
		const admin = await signUp(server.url, 'admin');
		const member = await signUp(server.url, 'member');
		const group = await createConversation(owner, { kind: 'group', title: 'Roles', memberIds: [admin.id, member.id] });
		const setRole = async (role: string) =>
			expect((await owner.client.request('PATCH', `/api/conversations/${group.id}/members/${admin.id}`, { json: { role } })).status).toBe(
				200
			);
		/** Position of a message in the raw array (system notices included). */
		const indexOf = (doc: Y.Doc, id: string) =>
			doc
				.getArray<{ id: string }>('messages')
				.toArray()
				.findIndex((x) => x.id === id);
		await setRole('admin');
		const m = connectClient({ url: server.url, docName: group.docName, cookie: member.cookie });
		const a = connectClient({ url: server.url, docName: group.docName, cookie: admin.cookie });
		clients.push(m, a);
		await Promise.all([m.synced(), a.synced()]);
		m.doc.getArray('messages').push([envelope('x1', member.id, 'one'), envelope('x2', member.id, 'two')]);
		await waitFor(() => indexOf(a.doc, 'x2') >= 0, { what: 'admin sees both' });
		// As admin, on this socket: deleting someone's message is allowed (R23).
		a.doc.getArray('messages').delete(indexOf(a.doc, 'x1'), 1);
		await waitFor(() => indexOf(m.doc, 'x1') < 0, { what: 'x1 deleted for the member' });
		await setRole('member');
		// The same open socket, now a member's: deleting someone else's message is refused.
		const room = server.parley.relay.rooms.peek(group.docName)!;
		await waitFor(() => [...room.connections].some((c) => c.userId === admin.id && c.access.role === 'member'), {
			what: 'the open socket takes the new role'
		});
		a.doc.getArray('messages').delete(indexOf(a.doc, 'x2'), 1);
		await waitFor(() => a.denied.length > 0, { what: 'refusal after demotion' });
		expect(a.denied[0]).toMatch(/^R23/);
		expect(messagesOf(m.doc).map((x) => x.id)).toEqual(['x2']);
	});
});
