// Issue 8, item 1, against the live relay: a member writes a few thousand messages of their own,
// then sends one ~1 MB update with no structs whose delete set repeats those items' range
// hundreds of thousands of times. The frame is refused (L1, or L2 under L1's count) and the
// server answers /healthz and syncs an honest client's messages meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SYNC_LIMITS } from '$lib/sync/schema';
import { testDatabaseKind } from '../../helpers/database.js';
import { connectRaw, updateFrame, type RawClient } from '../../helpers/raw-sync.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { deleteBomb, writeOwnMessages } from '../../unit/sync/bombs.js';

/** Messages mallory writes before the bomb: one struct each, the worst case for a range walk. */
const ITEMS = 3_000;
const LIVE_CLIENT = 4_100_000;
const DELETED_CLIENT = 4_200_000;

describe(`delete-set bomb (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;
	let mallory: TestUser;
	let bombed: string;
	let quiet: string;
	let raw: RawClient;
	const honest: { writer: SyncClient; reader: SyncClient }[] = [];

	beforeAll(async () => {
		server = await startTestServer();
		alice = await signUp(server.url, 'alice');
		const bob = await signUp(server.url, 'bob');
		mallory = await signUp(server.url, 'mallory');
		bombed = (await createConversation(alice, { kind: 'group', title: 'Bombed', memberIds: [bob.id, mallory.id] })).docName;
		quiet = (await createConversation(alice, { kind: 'group', title: 'Quiet', memberIds: [bob.id] })).docName;
		for (const docName of [bombed, quiet]) {
			const writer = connectClient({ url: server.url, docName, cookie: alice.cookie });
			const reader = connectClient({ url: server.url, docName, cookie: bob.cookie });
			honest.push({ writer, reader });
			await Promise.all([writer.synced(), reader.synced()]);
		}
		raw = await connectRaw({ url: server.url, docName: bombed, cookie: mallory.cookie });
		// mallory's own messages: one client with them live, one with them deleted
		for (const [client, deleted] of [
			[LIVE_CLIENT, false],
			[DELETED_CLIENT, true]
		] as const) {
			const doc = new Y.Doc();
			doc.clientID = client;
			writeOwnMessages(doc, mallory.id, ITEMS, `m${client}-`);
			raw.send(updateFrame(Y.encodeStateAsUpdate(doc)));
			if (deleted) {
				const before = Y.encodeStateVector(doc);
				doc.getArray('messages').delete(0, ITEMS);
				raw.send(updateFrame(Y.encodeStateAsUpdate(doc, before)));
			}
		}
		await raw.roundTrip();
		expect(raw.denied).toEqual([]);
		expect(messagesOf(raw.doc).filter((m) => m.author === mallory.id)).toHaveLength(ITEMS);
	}, 120_000);

	afterAll(async () => {
		raw?.destroy();
		for (const { writer, reader } of honest) {
			writer.destroy();
			reader.destroy();
		}
		await server?.close();
	});

	let round = 0;
	/** One honest message per document, seen by the other member; resolves with its delay in ms. */
	async function honestRound(): Promise<number> {
		const start = performance.now();
		const tag = `honest-${round++}`;
		for (const { writer, reader } of honest) {
			writer.doc.getArray('messages').push([{ id: tag, author: alice.id, createdAt: Date.now(), text: tag }]);
			await waitFor(() => messagesOf(reader.doc).some((m) => m.id === tag), { what: `honest ${tag}`, timeoutMs: 30_000 });
		}
		return performance.now() - start;
	}

	const cases = [
		{ variant: 'live items', client: LIVE_CLIENT, repeats: 300_000, rule: 'L1' },
		{ variant: 'already deleted items', client: DELETED_CLIENT, repeats: 300_000, rule: 'L1' },
		{ variant: 'live items', client: LIVE_CLIENT, repeats: SYNC_LIMITS.maxDeleteRanges, rule: 'L2' },
		{ variant: 'already deleted items', client: DELETED_CLIENT, repeats: SYNC_LIMITS.maxDeleteRanges, rule: 'L2' }
	];
	for (const { variant, client, repeats, rule } of cases) {
		it(`[${rule}] one frame repeating the range of ${ITEMS} ${variant} ${repeats} times is refused; /healthz and honest sync answer meanwhile`, async () => {
			const bomb = updateFrame(deleteBomb(client, ITEMS, repeats));
			expect(bomb.length).toBeGreaterThan(repeats * 3);
			expect(bomb.length).toBeLessThanOrEqual(server.config.limits.relayMaxFrameBytes);
			const denied = raw.denied.length;
			const start = performance.now();
			raw.send(bomb);
			const health = fetch(`${server.url}/healthz`).then(async (res) => ({ status: res.status, ms: performance.now() - start }));
			const delivery = honestRound();
			await waitFor(() => raw.denied.length > denied || raw.closed, { what: 'the verdict on the bomb', timeoutMs: 30_000 });
			const decided = performance.now() - start;
			expect(raw.closed).toBeNull();
			expect(raw.denied[denied]).toMatch(new RegExp(`^${rule}: `));
			const { status, ms } = await health;
			expect(status).toBe(200);
			const delivered = await delivery;
			console.log(
				`${variant} ×${repeats} (${(bomb.length / 1e6).toFixed(2)} MB): refused after ${decided.toFixed(0)} ms (incl. upload); /healthz ${ms.toFixed(0)} ms; honest delivery ${delivered.toFixed(0)} ms`
			);
			// nothing of it applied: mallory's live messages are all still there
			await raw.roundTrip();
			expect(messagesOf(raw.doc).filter((m) => m.author === mallory.id)).toHaveLength(ITEMS);
		}, 60_000);
	}
});
