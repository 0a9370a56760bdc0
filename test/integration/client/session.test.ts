// A session's life around the network: the background pool caches recent conversations (a few
// sockets at a time) so that they read offline later, and a session ended while the socket was
// down (upgrades now refused with 401, which a socket reports as a plain failure) signs out
// through the policy's "ask the API" step instead of retrying for ever.
import { beforeAll, describe, expect, it } from 'vitest';
import { conversationTypes } from '$lib/sync/schema';
import { MonotonicStates } from '$lib/client/sync/message-state';
import { inboxItems, messageWindow, presenceOf } from '$lib/client/sync/views';
import { testDatabaseKind } from '../../helpers/database.js';
import type { TestServer } from '../../helpers/server.js';
import { waitFor } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { MemoryDeviceStorage, clientTestBed, openSession } from './helpers.js';

const envelope = (id: string, author: string) => ({ id, author, createdAt: Date.now(), text: `text of ${id}` });

describe(`client session (${testDatabaseKind()})`, () => {
	const bed = clientTestBed();
	const { stock } = bed;
	let server: TestServer, alice: TestUser, bob: TestUser;
	beforeAll(() => void ({ server, alice, bob } = bed));

	it('the background pool caches recent conversations, at most two sockets at a time, then closes them; they read offline later', async () => {
		const groups: Awaited<ReturnType<typeof createConversation>>[] = [];
		for (let i = 0; i < 5; i++) {
			const g = await createConversation(alice, { kind: 'group', title: `G${i}`, memberIds: [bob.id] });
			const writer = stock.open(alice, g.docName);
			await writer.synced();
			conversationTypes(writer.doc).messages.push([envelope(`g${i}-hello`, alice.id)]);
			groups.push(g);
		}
		const storage = new MemoryDeviceStorage();
		const session = await openSession(server, bob, storage, { poolRecent: 20 });
		bed.track(session);
		let most = 0;
		const relay = server.parley.relay;
		session.on('change', () => (most = Math.max(most, session.openCount)));
		const bobsSockets = () =>
			groups.filter((g) => [...(relay.rooms.peek(g.docName)?.connections ?? [])].some((c) => c.userId === bob.id)).length;
		await waitFor(
			() => {
				most = Math.max(most, session.openCount);
				return session.pool.done.size === groups.length;
			},
			{ timeoutMs: 20_000, what: 'the pool visited every conversation' }
		);
		expect(most).toBeGreaterThan(0);
		expect(most).toBeLessThanOrEqual(2);
		await waitFor(() => bobsSockets() === 0, { what: 'the pool closed its sockets' });

		// later, with no network at all: every conversation opens from the device
		bed.close(session);
		const offline = await openSession(server, bob, storage, { online: false, poolRecent: 0 });
		bed.track(offline);
		for (const [i, g] of groups.entries()) {
			const handle = await offline.acquire(g.id);
			expect(
				conversationTypes(handle.sync.doc)
					.messages.toArray()
					.map((m) => m.id)
			).toContain(`g${i}-hello`);
			expect(handle.sync.status).toBe('offline');
			handle.release();
		}
	});

	it('signed out while the socket was down: on reconnect the session learns it (upgrades refused, API 401) and signs out cleanly, no endless retry', async () => {
		const dave = await signUp(server.url, 'dave');
		const chat = await createConversation(dave, { kind: 'direct', userId: bob.id });
		const storage = new MemoryDeviceStorage();
		const session = await openSession(server, dave, storage);
		bed.track(session);
		const handle = await session.acquire(chat.id);
		await handle.sync.whenSynced();
		session.setOnline(false);
		expect((await dave.client.post('/api/auth/logout')).status).toBe(204);
		const ended: string[] = [];
		session.on('ended', (reason) => ended.push(reason));
		session.setOnline(true);
		await waitFor(() => ended.length === 1 && !storage.users.has(dave.id), { timeoutMs: 15_000, what: 'signed out and wiped' });
		expect(ended).toEqual(['signed-out']);
	});

	it('the inbox (read-only) lists the chat with its last message, unread count and the peer online; own messages go pending → sent → read', async () => {
		const erin = await signUp(server.url, 'erin');
		const chat = await createConversation(erin, { kind: 'direct', userId: bob.id });
		const session = await openSession(server, erin, new MemoryDeviceStorage());
		bed.track(session);
		await session.inbox.whenSynced();
		const bobsInbox = await stock.inboxOf(bob); // bob is online: his inbox is open
		await bobsInbox.synced();
		const handle = await session.acquire(chat.id);
		await handle.sync.whenSynced();
		const states = new MonotonicStates();
		const view = () =>
			messageWindow({
				doc: handle.sync.doc,
				me: erin.id,
				size: 10,
				pending: handle.sync.pending,
				queued: handle.sync.queued,
				states,
				name: (id) => id
			}).messages;

		handle.sync.write({ kind: 'send', envelope: envelope('e1', erin.id) });
		expect(view().map((m) => m.state)).toEqual(['pending']);
		await waitFor(() => handle.sync.pending.length === 0, { what: 'receipt' });
		expect(view().map((m) => m.state)).toEqual(['sent']);
		const bobs = stock.open(bob, chat.docName);
		await bobs.synced();
		bobs.doc.getMap('reads').set(bob.id, { messageId: 'e1', at: Date.now() });
		await waitFor(() => view()[0]?.state === 'read', { what: 'read by bob' });

		bobs.doc.getArray('messages').push([envelope('b1', bob.id)]);
		await waitFor(
			() => {
				const presence = presenceOf(session.inbox.provider.awareness.getStates() as Map<number, Record<string, unknown>>);
				const [item] = inboxItems(session.inbox.doc, presence).filter((i) => i.conversationId === chat.id);
				return item?.lastMessage?.preview === 'text of b1' && item.unread === 1 && item.online === true && item.peerId === bob.id;
			},
			{ timeoutMs: 15_000, what: "erin's inbox shows bob's message, one unread, bob online" }
		);
		expect(session.inbox.status).toBe('up-to-date');
	});
});
