// R25 on the live relay: a block closes the direct conversation of the two people to new writes
// from either, on sockets opened before the block too; a reconnect is not a refusal; an unblock
// reopens it at once. Stock y-websocket clients for what people do, raw frames for the edges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { clientPool, waitFor, type SyncClient } from '../../helpers/sync.js';
import { connectRaw, updateFrame, type RawClient } from '../../helpers/raw-sync.js';
import { createConversation } from '../../helpers/users.js';
import { startServer, users } from '../conversations/helpers.js';
import { envelope, hasMessage } from './rule-scenes.js';

describe(`R25: blocks close a direct conversation (${testDatabaseKind()})`, () => {
	let server: TestServer;
	const { open, destroyAll } = clientPool(() => server.url);
	const raws: RawClient[] = [];
	const raw = async (user: TestUser, docName: string) => {
		const client = await connectRaw({ url: server.url, docName, cookie: user.cookie });
		raws.push(client);
		return client;
	};

	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(async () => {
		destroyAll();
		for (const client of raws) client.destroy();
		await server?.close();
	});

	/** Two people and their direct conversation, each with a synced stock client, and one message of each. */
	async function pair() {
		const [ann, ben] = await users(server, 'ann', 'ben');
		const direct = await createConversation(ann, { kind: 'direct', userId: ben.id });
		const [a, b] = [open(ann, direct.docName), open(ben, direct.docName)];
		await Promise.all([a.synced(), b.synced()]);
		a.doc.getArray('messages').push([envelope('from-ann', ann.id)]);
		b.doc.getArray('messages').push([envelope('from-ben', ben.id)]);
		await waitFor(() => hasMessage(a.doc, 'from-ben') && hasMessage(b.doc, 'from-ann'), { what: 'both messages on both sides' });
		return { ann, ben, direct, a, b };
	}

	/** The relay's copy now: a raw reader's after a round trip (answered once everything accepted before is stored). */
	async function relayCopy(user: TestUser, docName: string): Promise<Y.Doc> {
		const reader = await raw(user, docName);
		await reader.roundTrip();
		return reader.doc;
	}

	const storedIds = async (docName: string) =>
		(await server.db.query<{ id: string }>(`select id from messages where doc_name = $1 and kind <> 'system'`, [docName]))
			.map((r) => r.id)
			.sort();

	/** Writes a message, a reaction and a read marker at once (one update); resolves with the refusal. */
	async function attempt(client: SyncClient, user: TestUser, id: string): Promise<string> {
		const before = client.denied.length;
		client.doc.transact(() => {
			client.doc.getArray('messages').push([envelope(id, user.id)]);
			client.doc.getMap('reactions').set(`from-ann:${user.id}`, ['👍']);
			client.doc.getMap('reads').set(user.id, { messageId: 'from-ann', at: Date.now() });
		});
		await waitFor(() => client.denied.length > before, { what: `a refusal of ${id}` });
		return client.denied[before]!;
	}

	for (const blockerName of ['ann', 'ben'] as const) {
		it(`[R25] when ${blockerName} blocks, neither may write on sockets open before the block; nothing reaches the other or storage`, async () => {
			const { ann, ben, direct, a, b } = await pair();
			const [blocker, blocked] = blockerName === 'ann' ? [ann, ben] : [ben, ann];
			const [blockerClient, blockedClient] = blockerName === 'ann' ? [a, b] : [b, a];
			expect((await blocker.client.post('/api/contacts/block', { userId: blocked.id })).status).toBe(201);

			// Both refusals read the same: they do not say who blocked whom.
			expect(await attempt(blockedClient, blocked, 'by-blocked')).toBe('R25: this conversation takes no new writes');
			expect(await attempt(blockerClient, blocker, 'by-blocker')).toBe('R25: this conversation takes no new writes');

			const copy = await relayCopy(ann, direct.docName);
			expect(hasMessage(copy, 'from-ann') && hasMessage(copy, 'from-ben')).toBe(true);
			expect(hasMessage(copy, 'by-blocked') || hasMessage(copy, 'by-blocker')).toBe(false);
			expect(copy.getMap('reactions').size).toBe(0);
			expect(copy.getMap('reads').size).toBe(0);
			expect(hasMessage(blockerClient.doc, 'by-blocked')).toBe(false);
			expect(hasMessage(blockedClient.doc, 'by-blocker')).toBe(false);
			expect(await storedIds(direct.docName)).toEqual(['from-ann', 'from-ben']);
		});
	}

	it('[R25] a reconnect is no refusal: the history loads, a sync step 2 with nothing new is ignored, anything new is refused', async () => {
		const { ann, ben, direct, a } = await pair();
		// A deletion before the block: every later sync step 2 carries it in its delete set.
		a.doc.getArray('messages').push([envelope('gone', ann.id)]);
		await waitFor(async () => hasMessage(await relayCopy(ben, direct.docName), 'gone'), { what: 'gone stored' });
		a.doc.getArray('messages').delete(a.doc.getArray('messages').length - 1);
		await waitFor(async () => !hasMessage(await relayCopy(ben, direct.docName), 'gone'), { what: 'gone deleted' });
		expect((await ann.client.post('/api/contacts/block', { userId: ben.id })).status).toBe(201);

		const fresh = open(ben, direct.docName);
		await fresh.synced();
		expect(hasMessage(fresh.doc, 'from-ann')).toBe(true);

		const ben2 = await raw(ben, direct.docName);
		await ben2.roundTrip();
		// What a stock client answers the relay's sync step 1 with: everything it has, deletions included.
		ben2.send(updateFrame(Y.encodeStateAsUpdate(ben2.doc)));
		await ben2.roundTrip();
		expect(ben2.denied).toEqual([]);
		// Deleting one's own message is a write too (it would change the other's copy).
		const own = new Y.Doc();
		Y.applyUpdate(own, Y.encodeStateAsUpdate(ben2.doc));
		const messages = own.getArray<Record<string, unknown>>('messages');
		const deletion = captureUpdate(own, () => messages.delete(messages.toArray().findIndex((m) => m.id === 'from-ben')));
		ben2.send(updateFrame(deletion));
		await waitFor(() => ben2.denied.length === 1, { what: 'the deletion refused' });
		const message = captureUpdate(own, () => messages.push([envelope('late', ben.id)]));
		ben2.send(updateFrame(message));
		await waitFor(() => ben2.denied.length === 2, { what: 'the message refused' });
		expect(ben2.denied.every((reason) => reason.startsWith('R25:'))).toBe(true);
		const copy = await relayCopy(ann, direct.docName);
		expect(hasMessage(copy, 'from-ben')).toBe(true);
		expect(hasMessage(copy, 'late')).toBe(false);
		expect(fresh.denied).toEqual([]);
	});

	it('[R25] an unblock reopens the conversation at once on open sockets; a block the other way still closes it', async () => {
		const { ann, ben, direct } = await pair();
		expect((await ann.client.post('/api/contacts/block', { userId: ben.id })).status).toBe(201);
		expect((await ben.client.post('/api/contacts/block', { userId: ann.id })).status).toBe(201);
		// Sockets opened while blocked, kept open across the unblocks.
		const [a, b] = [open(ann, direct.docName), open(ben, direct.docName)];
		await Promise.all([a.synced(), b.synced()]);

		expect((await ann.client.delete(`/api/contacts/block/${ben.id}`)).status).toBe(204);
		// Ben's block of ann stands: still closed, both ways.
		expect(await attempt(a, ann, 'still-closed')).toMatch(/^R25:/);

		expect((await ben.client.delete(`/api/contacts/block/${ann.id}`)).status).toBe(204);
		b.doc.getArray('messages').push([envelope('reopened', ben.id)]);
		await waitFor(() => hasMessage(a.doc, 'reopened'), { what: 'ben reaches ann again' });
		const a2 = open(ann, direct.docName);
		await a2.synced();
		a2.doc.getArray('messages').push([envelope('answer', ann.id)]);
		await waitFor(() => hasMessage(b.doc, 'answer'), { what: 'ann reaches ben again' });
		expect(b.denied).toEqual([]);
		expect(a2.denied).toEqual([]);
	});

	it('[R25] applies to the direct conversation only: a group both are in still takes their messages', async () => {
		const [ann, ben, cat] = await users(server, 'ann', 'ben', 'cat');
		const group = await createConversation(cat, { kind: 'group', title: 'Choir', memberIds: [ann.id, ben.id] });
		expect((await ann.client.post('/api/contacts/block', { userId: ben.id })).status).toBe(201);
		const [a, b] = [open(ann, group.docName), open(ben, group.docName)];
		await Promise.all([a.synced(), b.synced()]);
		b.doc.getArray('messages').push([envelope('in-group', ben.id)]);
		await waitFor(() => hasMessage(a.doc, 'in-group'), { what: "ben's group message" });
		expect(b.denied).toEqual([]);
	});
});

/** The update a local change produces. */
function captureUpdate(doc: Y.Doc, change: () => void): Uint8Array {
	const updates: Uint8Array[] = [];
	const listener = (update: Uint8Array) => updates.push(update);
	doc.on('update', listener);
	change();
	doc.off('update', listener);
	return Y.mergeUpdates(updates);
}
