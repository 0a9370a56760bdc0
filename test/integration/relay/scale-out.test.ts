// Several instances on one database and one Redis serve the same documents (SPEC §2 REDIS_URL,
// docs/operations.md "Several instances"): updates, awareness, client-id bindings, events and
// inbox notices cross from one instance to the other; without REDIS_URL nothing connects to Redis.
// Each instance has its own pool to the one database, and its own Redis connections.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../helpers/database.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const envelope = (id: string, author: string, text: string) => ({ id, author, createdAt: Date.now(), text });

/** One database for several instances; `release()` removes it after they stopped. */
async function sharedDatabase(): Promise<{ database: TestDatabase; release(): Promise<void> }> {
	const database = await createTestDatabase();
	return { database, release: () => database.destroy() };
}

/** Redis connections whose name starts with `prefix` (each fan-out names its two connections so). */
async function redisConnections(admin: Redis, prefix: string): Promise<number> {
	const list = (await admin.client('LIST')) as string;
	return list.split('\n').filter((line) => line.includes(` name=${prefix}`)).length;
}

describe(`several instances share documents through Redis (${testDatabaseKind()})`, () => {
	// A prefix of our own: other test files (and the other database project) use the same Redis.
	const prefix = `parley-test:${randomBytes(6).toString('hex')}:`;
	let shared: Awaited<ReturnType<typeof sharedDatabase>>;
	let a: TestServer;
	let b: TestServer;
	let admin: Redis;
	let alice: TestUser, bob: TestUser, carol: TestUser;
	let group: { id: string; docName: string };
	const clients: SyncClient[] = [];
	const connect = (server: TestServer, user: TestUser, docName = group.docName, doc?: Y.Doc) => {
		const client = connectClient({ url: server.url, docName, cookie: user.cookie, doc });
		clients.push(client);
		return client;
	};
	const start = (env: Record<string, string> = { REDIS_URL }) =>
		startTestServer({ database: shared.database, env, overrides: { redisPrefix: prefix } });

	beforeAll(async () => {
		admin = new Redis(REDIS_URL);
		shared = await sharedDatabase();
		a = await start();
		b = await start();
		// Signed up on A: the sessions are in the shared database, so the cookies open B's sockets too.
		[alice, bob, carol] = [await signUp(a.url, 'alice'), await signUp(a.url, 'bob'), await signUp(a.url, 'carol')];
		group = await createConversation(alice, { kind: 'group', title: 'Scale', memberIds: [bob.id, carol.id] });
	});
	// Each test's clients go with it (every stock provider holds a process listener while it lives).
	afterEach(() => {
		for (const client of clients.splice(0)) client.destroy();
	});
	afterAll(async () => {
		await a?.stop();
		await b?.stop();
		await shared?.release();
		admin?.disconnect();
	});

	it('connects each instance to Redis with one publisher and one subscriber', async () => {
		expect(a.parley.fanout.kind).toBe('redis');
		expect(b.parley.fanout.kind).toBe('redis');
		expect(await redisConnections(admin, prefix)).toBe(4);
	});

	it('stock clients on different instances sync both ways; a late joiner on B gets what was written on A', async () => {
		const onA = connect(a, alice);
		const onB = connect(b, bob);
		await Promise.all([onA.synced(), onB.synced()]);
		onA.doc.getArray('messages').push([envelope('s1', alice.id, 'from A')]);
		await waitFor(() => messagesOf(onB.doc).some((m) => m.id === 's1'), { what: 'B sees s1' });
		onB.doc.getArray('messages').push([envelope('s2', bob.id, 'from B')]);
		await waitFor(() => messagesOf(onA.doc).some((m) => m.id === 's2'), { what: 'A sees s2' });
		const late = connect(b, carol);
		await late.synced();
		await waitFor(() => messagesOf(late.doc).length === 2, { what: 'late joiner on B has the history' });
		expect(messagesOf(late.doc).map((m) => m.text)).toEqual(['from A', 'from B']);
		expect([...onA.denied, ...onB.denied]).toEqual([]);
	});

	it('a refused update on A never reaches B, neither its clients nor its copy', async () => {
		const onA = connect(a, alice);
		const onB = connect(b, bob);
		await Promise.all([onA.synced(), onB.synced()]);
		// Written as Bob by Alice: refused on A (R-rules), and the room there never applies it.
		onA.doc.getArray('messages').push([envelope('forged', bob.id, 'I am bob')]);
		await waitFor(() => onA.denied.length > 0, { what: 'the refusal on A' });
		// What A accepts next does reach B, so a forged message that had crossed would be there by now.
		const valid = connect(a, alice);
		await valid.synced();
		valid.doc.getArray('messages').push([envelope('after-forged', alice.id, 'honest')]);
		await waitFor(() => messagesOf(onB.doc).some((m) => m.id === 'after-forged'), { what: 'B sees the next valid message' });
		expect(messagesOf(onB.doc).some((m) => m.id === 'forged')).toBe(false);
		expect(messagesOf(b.parley.relay.rooms.peek(group.docName)!.doc).some((m) => m.id === 'forged')).toBe(false);
	});

	it('a Yjs client id bound on A is honoured on B: the same client moves to B and keeps writing', async () => {
		const watcher = connect(b, bob);
		await watcher.synced();
		const doc = new Y.Doc();
		const first = connectClient({ url: a.url, docName: group.docName, cookie: alice.cookie, doc });
		await first.synced();
		first.doc.getArray('messages').push([envelope('bound-1', alice.id, 'written on A')]);
		await waitFor(() => messagesOf(watcher.doc).some((m) => m.id === 'bound-1'), { what: 'B applied bound-1' });
		// B learnt the binding from the fan-out message, not from storage (its room was already loaded).
		expect(b.parley.relay.rooms.peek(group.docName)!.clientOwner(doc.clientID)).toBe(alice.id);
		first.provider.destroy();
		const moved = connect(b, alice, group.docName, doc);
		await moved.synced();
		doc.getArray('messages').push([envelope('bound-2', alice.id, 'written on B with the same client id')]);
		await waitFor(() => messagesOf(watcher.doc).some((m) => m.id === 'bound-2'), { what: 'B accepted bound-2' });
		expect(moved.denied).toEqual([]);
		expect(first.denied).toEqual([]);
		doc.destroy();
	});

	it('awareness crosses instances, filtered on the sender’s, and leaves with its client', async () => {
		const onA = connect(a, alice);
		const onB = connect(b, bob);
		await Promise.all([onA.synced(), onB.synced()]);
		const seen: unknown[] = [];
		onB.provider.awareness.on('change', () => seen.push(onB.provider.awareness.getStates().get(onA.provider.awareness.clientID)));
		// A3 on A: a state naming another user is dropped there, so B never hears it.
		onA.provider.awareness.setLocalState({ user: { id: bob.id, name: 'not alice' } });
		onA.provider.awareness.setLocalState({ user: { id: alice.id, name: 'Alice' }, typing: true });
		await waitFor(() => onB.provider.awareness.getStates().get(onA.provider.awareness.clientID)?.typing === true, {
			what: "alice's awareness on B"
		});
		expect(seen.some((state) => (state as { user?: { id?: string } } | undefined)?.user?.id === bob.id)).toBe(false);
		const aliceAwareness = onA.provider.awareness.clientID;
		onA.destroy();
		await waitFor(() => !onB.provider.awareness.getStates().has(aliceAwareness), { what: "alice's awareness gone on B" });
	});

	it('signing out on A closes that session’s socket on B at once (4401)', async () => {
		const dave = await signUp(a.url, 'dave');
		const own = await createConversation(dave, { kind: 'group', title: 'Dave', memberIds: [] });
		const onB = connect(b, dave, own.docName);
		await onB.synced();
		expect((await dave.client.post('/api/auth/logout')).status).toBe(204);
		await waitFor(() => onB.closes.includes(4401), { what: 'dave closed with 4401 on B' });
	});

	it('removing a member on A closes their socket on B (4403)', async () => {
		const erin = await signUp(a.url, 'erin');
		const team = await createConversation(alice, { kind: 'group', title: 'Erin', memberIds: [erin.id] });
		const onB = connect(b, erin, team.docName);
		await onB.synced();
		expect((await alice.client.delete(`/api/conversations/${team.id}/members/${erin.id}`)).status).toBe(204);
		await waitFor(() => onB.closes.includes(4403), { what: 'erin closed with 4403 on B' });
	});

	it('an inbox open on B shows a message committed on A', async () => {
		const inboxName = (await bob.client.get('/api/me')).data.inboxDocName as string;
		const inbox = connect(b, bob, inboxName);
		await inbox.synced();
		// Bob's inbox is loaded only on B, so only B's inbox service can write it.
		expect(a.parley.relay.rooms.has(inboxName)).toBe(false);
		const onA = connect(a, alice);
		await onA.synced();
		onA.doc.getArray('messages').push([envelope('for-inbox', alice.id, 'see me in your inbox')]);
		const entry = () => inbox.doc.getMap('conversations').toJSON()[group.id] as { lastMessage?: { id: string } } | undefined;
		await waitFor(() => entry()?.lastMessage?.id === 'for-inbox', { what: "bob's inbox on B shows the message from A" });
	});

	it('deleting a conversation on A closes its sockets on B (4404)', async () => {
		const temp = await createConversation(alice, { kind: 'group', title: 'Temp', memberIds: [bob.id] });
		const onB = connect(b, bob, temp.docName);
		await onB.synced();
		expect((await alice.client.delete(`/api/conversations/${temp.id}`)).status).toBe(204);
		await waitFor(() => onB.closes.includes(4404), { what: 'bob closed with 4404 on B' });
	});

	it('without REDIS_URL an instance connects nothing to Redis; stopping closes what it opened', async () => {
		const alone = await start({});
		try {
			expect(alone.parley.fanout.kind).toBe('none');
			expect(await redisConnections(admin, prefix)).toBe(4);
		} finally {
			await alone.stop();
		}
		const third = await start();
		expect(await redisConnections(admin, prefix)).toBe(6);
		await third.stop();
		await waitFor(async () => (await redisConnections(admin, prefix)) === 4, { what: "the third instance's connections closed" });
	});
});
