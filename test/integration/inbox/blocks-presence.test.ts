// Blocks and presence (issue 8, item 5): a block hides online state and last seen both ways, in
// inboxes already open too, whatever contacts the blocked person keeps; an unblock restores what
// the normal rules allow. A change of `lastSeenVisibleTo` reaches open inboxes at once as well.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxDocName } from '$lib/server/doc-names';
import type { TestServer } from '../../helpers/server.js';
import { clientPool, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { presenceClientId, type PresenceState } from '../../../server/relay/presence.js';
import { startServer, users } from '../conversations/helpers.js';

type Presence = PresenceState['presence'];

describe(`blocks hide presence (${testDatabaseKind()})`, () => {
	let server: TestServer;
	const { open, inboxOf, destroyAll } = clientPool(() => server.url);

	/** What an inbox client's awareness says about `userId`, if anything. */
	const presenceIn = (inbox: SyncClient, userId: string): Presence | undefined => {
		for (const state of inbox.provider.awareness.getStates().values()) {
			const presence = (state as Partial<PresenceState>).presence;
			if (presence?.userId === userId) return presence;
		}
		return undefined;
	};
	/** What the relay's copy of `viewer`'s inbox says about `person` (what any of its clients will hear). */
	const relayPresence = (viewer: TestUser, person: TestUser): Presence | undefined => {
		const room = server.parley.relay.rooms.peek(inboxDocName(viewer.id));
		return (room?.awareness.getStates().get(presenceClientId(person.id)) as Partial<PresenceState> | undefined)?.presence;
	};

	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(async () => {
		destroyAll();
		await server?.close();
	});

	it('a block hides both people from each other in open inboxes at once; a contact of the blocked person follows nothing', async () => {
		const [bea, sam, cy] = await users(server, 'bea', 'sam', 'cy');
		// Sam follows bea two ways: a direct conversation and bea in his contacts. Cy follows both: a
		// witness that what they do is told (one query, one synchronous loop over the audience).
		await createConversation(sam, { kind: 'direct', userId: bea.id });
		expect((await sam.client.post('/api/contacts', { userId: bea.id })).status).toBe(201);
		for (const person of [sam, bea]) expect((await cy.client.post('/api/contacts', { userId: person.id })).status).toBe(201);
		const [beas, sams, cys] = [await inboxOf(bea), await inboxOf(sam), await inboxOf(cy)];
		await Promise.all([beas.synced(), sams.synced(), cys.synced()]);
		await waitFor(() => presenceIn(sams, bea.id)?.online && presenceIn(beas, sam.id)?.online, { what: 'both online to each other' });

		expect((await bea.client.post('/api/contacts/block', { userId: sam.id })).status).toBe(201);
		// Gone from the relay's copies when the block's request has answered; the clients hear the removal.
		expect(relayPresence(sam, bea)).toBeUndefined();
		expect(relayPresence(bea, sam)).toBeUndefined();
		await waitFor(() => presenceIn(sams, bea.id) === undefined && presenceIn(beas, sam.id) === undefined, {
			what: 'removed on both clients'
		});

		// Sam goes offline: his last seen reaches cy (the witness that it was told), never bea.
		const sams2 = open(sam, (await sam.client.get('/api/me')).data.inboxDocName);
		await sams2.synced();
		sams.destroy();
		sams2.destroy();
		await waitFor(() => relayPresence(cy, sam)?.online === false, { what: "sam's last seen told to cy" });
		expect(relayPresence(bea, sam)).toBeUndefined();
		// Bea goes offline and comes back: sam, who still has her as a contact, hears nothing of it.
		const samAgain = await inboxOf(sam);
		await samAgain.synced();
		await waitFor(() => relayPresence(cy, sam)?.online === true, { what: 'sam online again (witness)' });
		beas.destroy();
		await waitFor(() => relayPresence(cy, bea)?.online === false, { what: "bea's last seen told to cy" });
		expect(relayPresence(sam, bea)).toBeUndefined();
		const beaAgain = await inboxOf(bea);
		await beaAgain.synced();
		await waitFor(() => relayPresence(cy, bea)?.online === true, { what: 'bea online again told to cy' });
		expect(relayPresence(sam, bea)).toBeUndefined();
		expect(presenceIn(samAgain, bea.id)).toBeUndefined();
		expect(relayPresence(bea, sam)).toBeUndefined();
		expect(presenceIn(beaAgain, sam.id)).toBeUndefined();
	});

	it('an inbox opened while a block stands shows neither person, whoever blocked', async () => {
		const [bea, sam, cy] = await users(server, 'bea', 'sam', 'cy');
		await createConversation(sam, { kind: 'direct', userId: bea.id });
		await createConversation(cy, { kind: 'direct', userId: bea.id });
		await createConversation(cy, { kind: 'direct', userId: sam.id });
		expect((await sam.client.post('/api/contacts', { userId: bea.id })).status).toBe(201);
		expect((await bea.client.post('/api/contacts', { userId: sam.id })).status).toBe(201);
		expect((await sam.client.post('/api/contacts/block', { userId: bea.id })).status).toBe(201);
		const cyOnline = open(cy, (await cy.client.get('/api/me')).data.inboxDocName);
		await cyOnline.synced();
		const [beas, sams] = [await inboxOf(bea), await inboxOf(sam)];
		await Promise.all([beas.synced(), sams.synced()]);
		// Cy arrives in both (one query fills an inbox: cy's presence and the other's come together or not at all).
		await waitFor(() => relayPresence(bea, cy) && relayPresence(sam, cy), { what: 'cy in both inboxes' });
		expect(relayPresence(bea, sam)).toBeUndefined();
		expect(relayPresence(sam, bea)).toBeUndefined();
	});

	it('an unblock restores presence as the normal rules say, in open inboxes at once', async () => {
		const [bea, sam, dan] = await users(server, 'bea', 'sam', 'dan');
		await createConversation(sam, { kind: 'direct', userId: bea.id });
		// Dan has bea as a contact, but bea shows herself to her contacts only, and dan is not one.
		expect((await dan.client.post('/api/contacts', { userId: bea.id })).status).toBe(201);
		expect((await bea.client.patch('/api/me/privacy', { lastSeenVisibleTo: 'contacts' })).status).toBe(200);
		expect((await bea.client.post('/api/contacts', { userId: sam.id })).status).toBe(201);
		expect((await bea.client.post('/api/contacts/block', { userId: sam.id })).status).toBe(201);
		expect((await bea.client.post('/api/contacts/block', { userId: dan.id })).status).toBe(201);
		const [beas, sams, dans] = [await inboxOf(bea), await inboxOf(sam), await inboxOf(dan)];
		await Promise.all([beas.synced(), sams.synced(), dans.synced()]);

		expect((await bea.client.delete(`/api/contacts/block/${sam.id}`)).status).toBe(204);
		expect((await bea.client.delete(`/api/contacts/block/${dan.id}`)).status).toBe(204);
		await waitFor(() => presenceIn(sams, bea.id)?.online && presenceIn(beas, sam.id)?.online, { what: 'bea and sam see each other again' });
		// Dan follows bea, but her setting leaves him out (he is not her contact): the unblock gives him nothing.
		expect(relayPresence(dan, bea)).toBeUndefined();
		expect(presenceIn(dans, bea.id)).toBeUndefined();
	});

	it('a change of lastSeenVisibleTo reaches open inboxes at once (nobody hides, everyone shows again)', async () => {
		const [bea, sam] = await users(server, 'bea', 'sam');
		await createConversation(sam, { kind: 'direct', userId: bea.id });
		const [beas, sams] = [await inboxOf(bea), await inboxOf(sam)];
		await Promise.all([beas.synced(), sams.synced()]);
		await waitFor(() => presenceIn(sams, bea.id)?.online, { what: 'bea online to sam' });
		expect((await bea.client.patch('/api/me/privacy', { lastSeenVisibleTo: 'nobody' })).status).toBe(200);
		await waitFor(() => presenceIn(sams, bea.id) === undefined, { what: 'bea hidden from sam' });
		// Her own view is not hers to hide: she still sees sam.
		expect(presenceIn(beas, sam.id)?.online).toBe(true);
		expect((await bea.client.patch('/api/me/privacy', { lastSeenVisibleTo: 'everyone' })).status).toBe(200);
		await waitFor(() => presenceIn(sams, bea.id)?.online, { what: 'bea shown to sam again' });
	});
});
