// An honest client that the relay refuses recovers on its own (issue 4): a fresh client id, a
// document rebuilt from the relay, its still-allowed pending writes resent, the others reported as
// dropped, and no stuck outbox. Real server, real database, the client of src/lib/client/sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ConversationSync, type RecoveryReport } from '$lib/client/sync/conversation-sync';
import { testDatabaseKind } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, messagesOf, socketWith, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';

const envelope = (id: string, author: string) => ({ id, author, createdAt: Date.now(), text: `text of ${id}` });
const has = (doc: Y.Doc, id: string) => messagesOf(doc).some((m) => m.id === id);
/** Ids of the envelopes an update carries (read from its structs: alone, it would not integrate). */
const envelopeIds = (update: Uint8Array) =>
	Y.decodeUpdate(update).structs.flatMap((s) =>
		s instanceof Y.Item && s.content instanceof Y.ContentAny ? s.content.arr.map((v) => (v as { id: string }).id) : []
	);

describe(`recovery after a refusal (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;
	let bob: TestUser;
	const closers: { destroy(): void }[] = [];

	/** Our client for `user` in `docName`, asking the API for its role as the app would. */
	function syncFor(user: TestUser, docName: string, url = server.url): ConversationSync & { reports: RecoveryReport[] } {
		const sync = new ConversationSync({
			serverUrl: url.replace(/^http/, 'ws') + '/sync',
			docName,
			userId: user.id,
			WebSocketPolyfill: socketWith({ cookie: user.cookie }),
			maxBackoffTime: 100,
			access: async () => {
				const res = await user.client.get('/api/conversations');
				const mine = (res.data.conversations as { docName: string; role: never; kind: never }[]).find((c) => c.docName === docName);
				if (!mine) throw new Error(`not a member of ${docName}`);
				return { role: mine.role, kind: mine.kind };
			}
		}) as ConversationSync & { reports: RecoveryReport[] };
		sync.reports = [];
		sync.on('recovered', (report) => sync.reports.push(report));
		closers.push(sync);
		return sync;
	}
	const stock = (user: TestUser, docName: string) => {
		const client = connectClient({ url: server.url, docName, cookie: user.cookie });
		closers.push(client);
		return client;
	};

	beforeAll(async () => {
		server = await startTestServer();
		[alice, bob] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob')];
	});
	afterAll(async () => {
		for (const c of closers) c.destroy();
		await server?.close();
	});

	it('a channel admin demoted while offline: both offline posts dropped as R14, fresh client id, empty outbox, reads still work', async () => {
		const channel = await createConversation(alice, { kind: 'channel', title: 'Announcements' });
		expect((await alice.client.post(`/api/conversations/${channel.id}/members`, { userId: bob.id, role: 'admin' })).status).toBe(201);
		const watcher: SyncClient = stock(alice, channel.docName);
		const sync = syncFor(bob, channel.docName);
		await Promise.all([watcher.synced(), sync.whenSynced()]);
		watcher.doc.getArray('messages').push([envelope('ch1', alice.id)]);
		await waitFor(() => has(sync.doc, 'ch1'), { what: 'bob sees ch1' });

		// online, a post is confirmed by the relay and leaves the outbox
		sync.write({ kind: 'send', envelope: envelope('b-online', bob.id) });
		await waitFor(() => sync.pending.length === 0 && has(watcher.doc, 'b-online'), { what: 'the online post confirmed' });

		sync.disconnect();
		sync.write({ kind: 'send', envelope: envelope('b-off-1', bob.id) });
		sync.write({ kind: 'send', envelope: envelope('b-off-2', bob.id) });
		expect(sync.pending).toHaveLength(2);
		const oldClientId = sync.doc.clientID;
		const demoted = await alice.client.patch(`/api/conversations/${channel.id}/members/${bob.id}`, { role: 'subscriber' });
		expect(demoted.status, JSON.stringify(demoted.data)).toBe(200);

		sync.connect();
		await waitFor(() => sync.reports.length === 1 && !sync.recovering, { what: 'the recovery' });
		const [report] = sync.reports;
		expect(report!.reason).toMatch(/^R14: /);
		expect(report!.clientId).not.toBe(oldClientId);
		expect(sync.doc.clientID).toBe(report!.clientId);
		expect(report!.resent).toEqual([]);
		expect(report!.dropped.map((d) => [d.op.kind === 'send' && d.op.envelope.id, d.rule])).toEqual([
			['b-off-1', 'R14'],
			['b-off-2', 'R14']
		]);
		expect(sync.pending).toEqual([]);
		// rebuilt from the relay: what it accepted is there, the refused posts are not
		expect(has(sync.doc, 'b-online') && !has(sync.doc, 'b-off-1')).toBe(true);

		// as a subscriber, bob may still write his own read position, and it is confirmed
		expect(sync.write({ kind: 'read', messageId: 'b-online', at: Date.now() })).toBe(true);
		await waitFor(() => watcher.doc.getMap('reads').has(bob.id) && sync.pending.length === 0, { what: "bob's read confirmed" });
		expect(sync.reports).toHaveLength(1);
		expect(has(watcher.doc, 'b-off-1') || has(watcher.doc, 'b-off-2')).toBe(false);
		expect(watcher.denied).toEqual([]);
	});

	it('demoted while online: the next post is refused, dropped as R14, and the client writes on with a fresh id', async () => {
		const channel = await createConversation(alice, { kind: 'channel', title: 'Live' });
		expect((await alice.client.post(`/api/conversations/${channel.id}/members`, { userId: bob.id, role: 'admin' })).status).toBe(201);
		const watcher = stock(alice, channel.docName);
		const sync = syncFor(bob, channel.docName);
		await Promise.all([watcher.synced(), sync.whenSynced()]);
		sync.write({ kind: 'send', envelope: envelope('live-1', bob.id) });
		await waitFor(() => has(watcher.doc, 'live-1') && sync.pending.length === 0, { what: 'the post as admin' });
		expect((await alice.client.patch(`/api/conversations/${channel.id}/members/${bob.id}`, { role: 'subscriber' })).status).toBe(200);
		// the relay re-reads the role of open connections
		const room = server.parley.relay.rooms.peek(channel.docName)!;
		await waitFor(() => [...room.connections].some((c) => c.userId === bob.id && c.access.role === 'subscriber'), {
			what: 'the relay knows'
		});
		const oldClientId = sync.doc.clientID;
		sync.write({ kind: 'send', envelope: envelope('live-2', bob.id) });
		await waitFor(() => sync.reports.length === 1 && !sync.recovering, { what: 'the recovery' });
		expect(sync.reports[0]!.reason).toMatch(/^R14: /);
		expect(sync.reports[0]!.dropped.map((d) => d.rule)).toEqual(['R14']);
		expect(sync.doc.clientID).not.toBe(oldClientId);
		expect(sync.pending).toEqual([]);
		sync.write({ kind: 'read', messageId: 'live-1', at: Date.now() });
		await waitFor(() => watcher.doc.getMap('reads').has(bob.id) && sync.pending.length === 0, { what: "bob's read confirmed" });
		expect(has(watcher.doc, 'live-2')).toBe(false);
	});

	it("after a restore from an older copy: refused for others' newer state, recovers, and its pending posts reach the others", async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Restored', memberIds: [bob.id] });
		const sync = syncFor(alice, group.docName);
		const bobsPhone = stock(bob, group.docName);
		await Promise.all([sync.whenSynced(), bobsPhone.synced()]);
		sync.write({ kind: 'send', envelope: envelope('a1', alice.id) });
		await waitFor(() => has(bobsPhone.doc, 'a1') && sync.pending.length === 0, { what: 'a1 confirmed' });
		bobsPhone.doc.getArray('messages').push([envelope('b1', bob.id)]);
		await waitFor(() => has(sync.doc, 'b1'), { what: 'alice sees b1' });
		bobsPhone.doc.getArray('messages').push([envelope('b-late', bob.id)]);
		// alice sees b-late only once the relay has stored it (durable before visible)
		await waitFor(() => has(sync.doc, 'b-late'), { what: 'alice sees b-late' });
		bobsPhone.destroy(); // bob's phone is lost: nobody will resend b-late

		const port = new URL(server.url).port;
		await server.stop();
		// offline while the server is down: two posts wait in the outbox
		sync.write({ kind: 'send', envelope: envelope('a-pend-1', alice.id) });
		sync.write({ kind: 'send', envelope: envelope('a-pend-2', alice.id) });
		expect(sync.pending).toHaveLength(2);

		// the backup lacks the last stored update: b-late
		const db = await server.database.open();
		// order by the column: the text alias would sort '9' after '10'
		const [last] = await db.query<{ id: string; update: Uint8Array }>(
			`select id::text as id, update from doc_updates where doc_name = $1 order by doc_updates.id desc limit 1`,
			[group.docName]
		);
		expect(envelopeIds(new Uint8Array(last!.update))).toEqual(['b-late']);
		await db.query(`delete from doc_updates where id = $1`, [last!.id]);
		await db.close();
		server = await startTestServer({ database: server.database, env: { PORT: port } });

		// alice's provider reconnects by itself; its sync step 2 carries bob's b-late under bob's client id
		await waitFor(() => sync.reports.length === 1 && !sync.recovering, { timeoutMs: 15_000, what: 'the recovery' });
		const [report] = sync.reports;
		expect(report!.reason).toMatch(/^R5: /);
		expect(report!.dropped).toEqual([]);
		expect(report!.resent.map((op) => op.kind === 'send' && op.envelope.id)).toEqual(['a-pend-1', 'a-pend-2']);
		await waitFor(() => sync.pending.length === 0, { what: 'the resent posts confirmed' });

		const bobsLaptop = stock(bob, group.docName);
		await waitFor(() => has(bobsLaptop.doc, 'a-pend-1') && has(bobsLaptop.doc, 'a-pend-2'), { what: 'bob gets the pending posts' });
		// alice now agrees with the relay: b-late is gone from both
		expect(messagesOf(sync.doc).map((m) => m.id)).toEqual(messagesOf(bobsLaptop.doc).map((m) => m.id));
		expect(has(sync.doc, 'b-late')).toBe(false);
		expect(bobsLaptop.denied).toEqual([]);
	});
});
