// A7 on the live relay (issue 8, item 6): a conversation's awareness announces a person only as
// their `lastSeenVisibleTo` and blocks allow; otherwise only their typing passes, carrying nothing
// but who types, and between a blocked pair in their direct conversation nothing passes at all.
// Open sockets follow a privacy, contact or block change at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { clientPool, waitFor, type SyncClient } from '../../helpers/sync.js';
import { awarenessFrame, connectRaw, type RawClient } from '../../helpers/raw-sync.js';
import { createConversation } from '../../helpers/users.js';
import { startServer, users } from '../conversations/helpers.js';
import { envelope } from './rule-scenes.js';

type State = Record<string, unknown> | null;

describe(`A7: awareness honours lastSeenVisibleTo and blocks (${testDatabaseKind()})`, () => {
	let server: TestServer;
	const { open, destroyAll } = clientPool(() => server.url);
	const cleanup: Array<() => void> = [];

	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(async () => {
		destroyAll();
		for (const done of cleanup) done();
		await server?.close();
	});

	/** The relay's awareness states of a document (what every client of it hears). */
	const relayStates = (docName: string) => server.parley.relay.rooms.peek(docName)?.awareness.getStates() ?? new Map();
	/** A client's view of someone's awareness state. */
	const stateIn = (client: SyncClient, clientId: number) => client.provider.awareness.getStates().get(clientId);
	/** Every state `client` hears for `clientId` from now on (null: removed). */
	function heard(client: SyncClient, clientId: () => number): State[] {
		const log: State[] = [];
		client.provider.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
			for (const id of [...added!, ...updated!]) if (id === clientId()) log.push(client.provider.awareness.getStates().get(id) as State);
			for (const id of removed!) if (id === clientId()) log.push(null);
		});
		return log;
	}
	const setPrivacy = async (user: TestUser, lastSeenVisibleTo: string) =>
		expect((await user.client.patch('/api/me/privacy', { lastSeenVisibleTo })).status).toBe(200);

	it('[A7] nobody: an idle state (typing: false) is not passed on; typing: true is, as {user: {id}, typing: true} only; its end is a removal', async () => {
		const [alice, bob] = await users(server, 'alice', 'bob');
		const group = await createConversation(bob, { kind: 'group', title: 'Quiet', memberIds: [alice.id] });
		await setPrivacy(alice, 'nobody');
		const b = open(bob, group.docName);
		await b.synced();
		// Alice as raw frames: each round trip proves the relay handled what she sent before it.
		const a: RawClient = await connectRaw({ url: server.url, docName: group.docName, cookie: alice.cookie });
		const local = new Awareness(new Y.Doc());
		cleanup.push(() => (a.destroy(), local.destroy()));
		const id = local.clientID;
		const log = heard(b, () => id);
		const send = async (state: State) => {
			local.setLocalState(state);
			a.send(awarenessFrame(encodeAwarenessUpdate(local, [id])));
			await a.roundTrip();
		};
		const full = { user: { id: alice.id, name: 'Alice', color: '#f0a' }, online: true, lastSeen: Date.now() };

		await send({ ...full, typing: false });
		expect(relayStates(group.docName).has(id)).toBe(false);
		await send({ ...full, typing: true });
		expect(relayStates(group.docName).get(id)).toEqual({ user: { id: alice.id }, typing: true });
		await waitFor(() => stateIn(b, id)?.typing === true, { what: 'bob hears alice typing' });
		expect(stateIn(b, id)).toEqual({ user: { id: alice.id }, typing: true });
		await send({ ...full, typing: false });
		expect(relayStates(group.docName).has(id)).toBe(false);
		await waitFor(() => stateIn(b, id) === undefined, { what: "the end of alice's typing" });
		expect(log).toEqual([{ user: { id: alice.id }, typing: true }, null]);
	});

	it('[A7] contacts: a direct partner who is no contact hears only typing; adding and removing the contact shows and hides at once', async () => {
		const [alice, bob] = await users(server, 'alice', 'bob');
		await setPrivacy(alice, 'contacts');
		const direct = await createConversation(alice, { kind: 'direct', userId: bob.id });
		const [a, b] = [open(alice, direct.docName), open(bob, direct.docName)];
		await Promise.all([a.synced(), b.synced()]);
		const log = heard(b, () => a.doc.clientID);
		a.provider.awareness.setLocalState({ user: { id: alice.id, name: 'Alice' }, typing: false });
		a.provider.awareness.setLocalStateField('typing', true);
		await waitFor(() => stateIn(b, a.doc.clientID)?.typing === true, { what: 'typing heard' });
		// The idle state (and the empty one a provider starts with) came first on the same socket: never heard.
		expect(log).toEqual([{ user: { id: alice.id }, typing: true }]);
		a.provider.awareness.setLocalStateField('typing', false);
		await waitFor(() => stateIn(b, a.doc.clientID) === undefined, { what: 'typing ended' });

		// Bob becomes her contact: her state shows now, not at the client's next renewal (15 s away).
		expect((await alice.client.post('/api/contacts', { userId: bob.id })).status).toBe(201);
		await waitFor(() => (stateIn(b, a.doc.clientID)?.user as { name?: string } | undefined)?.name === 'Alice', {
			what: 'full state shown'
		});
		expect((await alice.client.delete(`/api/contacts/${bob.id}`)).status).toBe(204);
		await waitFor(() => stateIn(b, a.doc.clientID) === undefined, { what: 'hidden again' });
	});

	it('[A7] a change of lastSeenVisibleTo takes effect on open sockets at once, both ways', async () => {
		const [alice, bob] = await users(server, 'alice', 'bob');
		const group = await createConversation(bob, { kind: 'group', title: 'Open', memberIds: [alice.id] });
		const [a, b] = [open(alice, group.docName), open(bob, group.docName)];
		await Promise.all([a.synced(), b.synced()]);
		a.provider.awareness.setLocalState({ user: { id: alice.id }, typing: false, marker: 1 });
		await waitFor(() => stateIn(b, a.doc.clientID)?.marker === 1, { what: 'alice shown' });
		await setPrivacy(alice, 'nobody');
		await waitFor(() => stateIn(b, a.doc.clientID) === undefined, { what: 'alice hidden' });
		// Her client re-sends its state (the stock answer to a removal of its own), and changes it; then
		// a message on the same socket: once bob has it, the relay had handled both states before.
		a.provider.awareness.setLocalStateField('marker', 2);
		a.doc.getArray('messages').push([envelope('witness', alice.id)]);
		await waitFor(
			() =>
				b.doc
					.getArray<{ id: string }>('messages')
					.toArray()
					.some((m) => m.id === 'witness'),
			{ what: 'the witness message' }
		);
		expect(relayStates(group.docName).has(a.doc.clientID)).toBe(false);
		expect(stateIn(b, a.doc.clientID)).toBeUndefined();
		await setPrivacy(alice, 'everyone');
		await waitFor(() => stateIn(b, a.doc.clientID)?.marker === 2, { what: 'alice shown again' });
	});

	it('[A7] a block: nothing of either passes in their direct conversation, typing included; in a group they share, only typing', async () => {
		const [alice, bob, carol] = await users(server, 'alice', 'bob', 'carol');
		const direct = await createConversation(alice, { kind: 'direct', userId: bob.id });
		const group = await createConversation(carol, { kind: 'group', title: 'Both', memberIds: [alice.id, bob.id] });
		const [a, b] = [open(alice, direct.docName), open(bob, direct.docName)];
		const [ga, gb] = [open(alice, group.docName), open(bob, group.docName)];
		await Promise.all([a.synced(), b.synced(), ga.synced(), gb.synced()]);
		a.provider.awareness.setLocalState({ user: { id: alice.id }, typing: false, marker: 'a' });
		b.provider.awareness.setLocalState({ user: { id: bob.id }, typing: false, marker: 'b' });
		await waitFor(() => stateIn(a, b.doc.clientID)?.marker === 'b' && stateIn(b, a.doc.clientID)?.marker === 'a', { what: 'both shown' });

		expect((await alice.client.post('/api/contacts/block', { userId: bob.id })).status).toBe(201);
		// Removed from the relay's copy when the block has answered; the clients hear the removal.
		expect(relayStates(direct.docName).has(a.doc.clientID) || relayStates(direct.docName).has(b.doc.clientID)).toBe(false);
		await waitFor(() => stateIn(a, b.doc.clientID) === undefined && stateIn(b, a.doc.clientID) === undefined, { what: 'both hidden' });
		// Bob types, then tries to write: the refusal (R25) proves the relay handled the typing before it.
		b.provider.awareness.setLocalStateField('typing', true);
		b.doc.getArray('messages').push([envelope('blocked-try', bob.id)]);
		await waitFor(() => b.denied.length > 0, { what: "bob's write refused" });
		expect(relayStates(direct.docName).has(b.doc.clientID)).toBe(false);
		expect(stateIn(a, b.doc.clientID)).toBeUndefined();

		// In the group, each hears the other's typing only.
		const log = heard(ga, () => gb.doc.clientID);
		gb.provider.awareness.setLocalState({ user: { id: bob.id }, typing: false, marker: 'group' });
		gb.provider.awareness.setLocalStateField('typing', true);
		await waitFor(() => stateIn(ga, gb.doc.clientID)?.typing === true, { what: "bob's typing in the group" });
		expect(log).toEqual([{ user: { id: bob.id }, typing: true }]);

		// Unblocked: the direct conversation shows both again at once.
		expect((await alice.client.delete(`/api/contacts/block/${bob.id}`)).status).toBe(204);
		await waitFor(() => stateIn(b, a.doc.clientID)?.marker === 'a', { what: 'alice shown to bob again' });
	});

	it('[A7] membership: when someone alice blocked joins her group, her idle state leaves it; a new channel subscriber she has not as a contact hides her too', async () => {
		const [alice, bob, carol] = await users(server, 'alice', 'bob', 'carol');
		expect((await alice.client.post('/api/contacts/block', { userId: bob.id })).status).toBe(201);
		const group = await createConversation(carol, { kind: 'group', title: 'Later', memberIds: [alice.id] });
		const [a, c] = [open(alice, group.docName), open(carol, group.docName)];
		await Promise.all([a.synced(), c.synced()]);
		a.provider.awareness.setLocalState({ user: { id: alice.id }, typing: false, marker: 'g' });
		await waitFor(() => stateIn(c, a.doc.clientID)?.marker === 'g', { what: 'alice shown in the group' });
		// Carol adds bob (the block is alice's, carol may): alice is announced no more, to anyone there.
		expect((await carol.client.post(`/api/conversations/${group.id}/members`, { userId: bob.id })).status).toBe(201);
		await waitFor(() => stateIn(c, a.doc.clientID) === undefined, { what: 'alice hidden in the group' });

		// A channel owner who shows herself to contacts only: carol is one, bob's friend dan is not.
		const dan = (await users(server, 'dan'))[0];
		await setPrivacy(alice, 'contacts');
		expect((await alice.client.post('/api/contacts', { userId: carol.id })).status).toBe(201);
		const channel = await createConversation(alice, { kind: 'channel', title: 'News', public: true });
		expect((await alice.client.post(`/api/conversations/${channel.id}/members`, { userId: carol.id, role: 'subscriber' })).status).toBe(
			201
		);
		const [owner, sub] = [open(alice, channel.docName), open(carol, channel.docName)];
		await Promise.all([owner.synced(), sub.synced()]);
		owner.provider.awareness.setLocalState({ user: { id: alice.id }, typing: false, marker: 'c' });
		await waitFor(() => stateIn(sub, owner.doc.clientID)?.marker === 'c', { what: 'owner shown to her contact' });
		expect((await dan.client.post(`/api/conversations/${channel.id}/join`, {})).status).toBe(201);
		await waitFor(() => stateIn(sub, owner.doc.clientID) === undefined, { what: 'owner hidden once a stranger subscribed' });
	});
});
