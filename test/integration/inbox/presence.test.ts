// Presence and typing: online / last seen through the inbox's awareness, typing through the
// conversation's; both honour privacy settings, and channel subscribers do not see each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { clientPool, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';

type Presence = { userId: string; online: boolean; lastSeen: number | null };

describe(`presence (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser;
	let group: { id: string; docName: string };
	const { open, inboxOf, destroyAll } = clientPool(() => server.url);
	/** What an inbox's awareness says about `userId`, if anything. */
	const presenceIn = (inbox: SyncClient, userId: string): Presence | undefined => {
		for (const state of inbox.provider.awareness.getStates().values()) {
			const presence = (state as { presence?: Presence }).presence;
			if (presence?.userId === userId) return presence;
		}
		return undefined;
	};

	beforeAll(async () => {
		server = await startTestServer();
		[alice, bob, carol] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob'), await signUp(server.url, 'carol')];
		group = await createConversation(alice, { kind: 'group', title: 'Walkers', memberIds: [bob.id, carol.id] });
		// Presence is told between people who share a direct conversation (or contacts), not groups.
		await createConversation(bob, { kind: 'direct', userId: alice.id });
		await createConversation(bob, { kind: 'direct', userId: carol.id });
		expect((await carol.client.patch('/api/me/privacy', { lastSeenVisibleTo: 'nobody' })).status).toBe(200);
	});
	afterAll(async () => {
		destroyAll();
		await server?.close();
	});

	it('tells an open inbox when someone comes online and goes offline, and stores last seen', async () => {
		const inbox = await inboxOf(bob);
		await inbox.synced();
		const alicesPhone = open(alice, group.docName);
		await alicesPhone.synced();
		await waitFor(() => presenceIn(inbox, alice.id)?.online === true, { what: 'alice online' });
		const before = Date.now();
		alicesPhone.provider.disconnect();
		await waitFor(() => presenceIn(inbox, alice.id)?.online === false, { what: 'alice offline' });
		expect(presenceIn(inbox, alice.id)!.lastSeen).toBeGreaterThanOrEqual(before - 1000);
		const [row] = await server.db.query<{ last_seen_at: Date | null }>(`select last_seen_at from users where id = $1`, [alice.id]);
		expect(row!.last_seen_at).not.toBeNull();
	});

	it('shows the last-seen time to an inbox opened later', async () => {
		const dave = await signUp(server.url, 'dave');
		await createConversation(alice, { kind: 'direct', userId: dave.id });
		const inbox = await inboxOf(dave);
		await inbox.synced();
		await waitFor(() => presenceIn(inbox, alice.id) !== undefined, { what: "alice's presence in dave's inbox" });
		expect(presenceIn(inbox, alice.id)).toMatchObject({ online: false, lastSeen: expect.any(Number) });
	});

	it('does not announce group co-members to each other (only direct partners and contacts)', async () => {
		const erin = await signUp(server.url, 'erin');
		expect((await alice.client.post(`/api/conversations/${group.id}/members`, { userId: erin.id })).status).toBe(201);
		const inbox = await inboxOf(erin);
		await inbox.synced();
		const alices = open(alice, group.docName);
		await alices.synced();
		// Erin shares only the group with alice: after a contact's presence arrives, alice's must be absent.
		const frank = await signUp(server.url, 'frank');
		expect((await erin.client.post('/api/contacts', { userId: frank.id })).status).toBe(201);
		const franks = open(frank, (await frank.client.get('/api/me')).data.inboxDocName);
		await franks.synced();
		await waitFor(() => presenceIn(inbox, frank.id)?.online === true, { what: "contact frank's presence" });
		expect(presenceIn(inbox, alice.id)).toBeUndefined();
	});

	it('tells nobody about a person whose setting says nobody', async () => {
		const inbox = await inboxOf(bob);
		await inbox.synced();
		const carols = open(carol, group.docName);
		const alices = open(alice, group.docName);
		await Promise.all([carols.synced(), alices.synced()]);
		// Alice's state arrives after carol connected: by then carol's would have been sent too.
		await waitFor(() => presenceIn(inbox, alice.id)?.online === true, { what: 'alice online again' });
		expect(presenceIn(inbox, carol.id)).toBeUndefined();
	});

	it("passes typing on in a conversation's awareness, and never another user's claim", async () => {
		const bobs = open(bob, group.docName);
		const alices = open(alice, group.docName);
		await Promise.all([bobs.synced(), alices.synced()]);
		bobs.provider.awareness.setLocalStateField('typing', true);
		await waitFor(() => alices.provider.awareness.getStates().get(bobs.doc.clientID)?.typing === true, { what: 'bob typing' });
		// A state that speaks for someone else (A3) is dropped: alice never sees carol "typing".
		bobs.provider.awareness.setLocalState({ user: { id: carol.id }, typing: true });
		bobs.provider.awareness.setLocalState({ user: { id: bob.id }, typing: false, marker: 1 });
		await waitFor(() => alices.provider.awareness.getStates().get(bobs.doc.clientID)?.marker === 1, { what: 'marker state' });
		for (const state of alices.provider.awareness.getStates().values())
			expect((state as { user?: { id?: string } }).user?.id).not.toBe(carol.id);
	});

	it('keeps channel subscribers from seeing each other (A5)', async () => {
		const channel = await createConversation(alice, { kind: 'channel', title: 'News' });
		for (const user of [bob, carol])
			expect((await alice.client.post(`/api/conversations/${channel.id}/members`, { userId: user.id, role: 'subscriber' })).status).toBe(
				201
			);
		const bobs = open(bob, channel.docName);
		const carols = open(carol, channel.docName);
		const alices = open(alice, channel.docName);
		await Promise.all([bobs.synced(), carols.synced(), alices.synced()]);
		bobs.provider.awareness.setLocalStateField('typing', true);
		alices.provider.awareness.setLocalStateField('typing', true);
		// The owner's state reaches the subscriber; the other subscriber's never does.
		await waitFor(() => carols.provider.awareness.getStates().get(alices.doc.clientID)?.typing === true, { what: "owner's typing" });
		expect(carols.provider.awareness.getStates().has(bobs.doc.clientID)).toBe(false);
		expect(alices.provider.awareness.getStates().has(bobs.doc.clientID)).toBe(false);
	});
});
