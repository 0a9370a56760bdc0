// G7: after an access event the relay re-reads the access of the open sockets it concerns, and
// only after an access event: a rename, a picture change or a member's own settings (mute, pin,
// archive) are `conversationEdited`, which re-authorises no socket (one query per connected
// member in a large group, for nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';

describe(`relay: access events (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;
	let bob: TestUser;
	let carol: TestUser;
	const clients: SyncClient[] = [];
	const connect = (user: TestUser, docName: string) => {
		const client = connectClient({ url: server.url, docName, cookie: user.cookie });
		clients.push(client);
		return client;
	};
	const rechecks = () => server.parley.relay.accessStats.rechecks;

	beforeAll(async () => {
		server = await startTestServer();
		[alice, bob, carol] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob'), await signUp(server.url, 'carol')];
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it('[G7] a rename, a picture removal and mute/pin/archive re-authorise no socket; a role change re-reads them', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Team', memberIds: [bob.id, carol.id] });
		const sockets = [connect(alice, group.docName), connect(bob, group.docName), connect(carol, group.docName)];
		await Promise.all(sockets.map((s) => s.synced()));
		const edited: unknown[] = [];
		const onEdited = (payload: unknown) => edited.push(payload);
		server.parley.runtime.events.on('conversationEdited', onEdited);
		try {
			// Settle: the upgrades' own re-checks (if an event raced them) are done.
			const before = rechecks();
			expect((await alice.client.patch(`/api/conversations/${group.id}`, { title: 'Renamed', description: 'words' })).status).toBe(200);
			expect((await alice.client.delete(`/api/conversations/${group.id}/avatar`)).status).toBe(204);
			for (const patch of [{ muted: true }, { pinned: true }, { archived: true }])
				expect((await bob.client.patch(`/api/conversations/${group.id}/settings`, patch)).status).toBe(200);
			expect(edited).toHaveLength(5);
			// The rename's system notice reached the sockets: everything the edit caused has happened.
			await waitFor(() => sockets.every((s) => s.doc.getMap('meta').get('title') === 'Renamed'), { what: 'the new title everywhere' });
			expect(rechecks()).toBe(before);
			// The control: a role change is membership, and every socket of the group is asked again.
			expect((await alice.client.patch(`/api/conversations/${group.id}/members/${bob.id}`, { role: 'admin' })).status).toBe(200);
			await waitFor(() => rechecks() >= before + 3, { what: 'the sockets re-authorised after the role change' });
			expect(rechecks()).toBe(before + 3);
		} finally {
			server.parley.runtime.events.off('conversationEdited', onEdited);
		}
	});
});
