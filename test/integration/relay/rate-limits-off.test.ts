// SYNC_RATE_LIMITS=off (SPEC §2) lifts the relay's token buckets and nothing else: a flooder then
// gets far past the per-connection rate, yet the bounded, fair commit queue still stops reading it
// at its document's bound (backpressure), another conversation keeps delivering, and awareness
// broadcasts stay coalesced. Limits: docs/sync-rules.md "Rate limits". No wall times asserted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { connectRaw, type RawClient } from '../../helpers/raw-sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { flood, messageFrames } from '../../../bench/flood.js';
import { measureAwarenessFlood } from './floods.js';

const FLOOD_MS = 4_000;
/** A per-document bound below relayMaxFramesPerTurn, so that the flood meets it on any machine. */
const PER_DOC = 16;

describe(`SYNC_RATE_LIMITS=off (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let mallory: TestUser, alice: TestUser, bob: TestUser;
	let flooded: { docName: string }, quiet: { docName: string };
	const clients: SyncClient[] = [];
	const raws: RawClient[] = [];

	beforeAll(async () => {
		server = await startTestServer({
			env: { SYNC_RATE_LIMITS: 'off' },
			overrides: { limits: { ...DEFAULT_LIMITS, relayCommitQueueMaxPerDoc: PER_DOC } }
		});
		[mallory, alice, bob] = [await signUp(server.url, 'mallory'), await signUp(server.url, 'alice'), await signUp(server.url, 'bob')];
		flooded = await createConversation(mallory, { kind: 'group', title: 'Flooded', memberIds: [alice.id] });
		quiet = await createConversation(alice, { kind: 'group', title: 'Quiet', memberIds: [bob.id] });
	});
	afterEach(() => {
		for (const client of clients.splice(0)) client.destroy();
		for (const raw of raws.splice(0)) raw.destroy();
	});
	afterAll(() => server?.close());

	it('parses as off', () => {
		expect(server.config.syncRateLimits).toBe(false);
	});

	it('[G4] lifts the buckets; the commit queue still bounds the flood per document, and another conversation keeps delivering', async () => {
		const a = connectClient({ url: server.url, docName: quiet.docName, cookie: alice.cookie });
		const b = connectClient({ url: server.url, docName: quiet.docName, cookie: bob.cookie });
		clients.push(a, b);
		await Promise.all([a.synced(), b.synced()]);
		const raw = await connectRaw({ url: server.url, docName: flooded.docName, cookie: mallory.cookie });
		raws.push(raw);
		await raw.roundTrip();
		const stats = { ...server.parley.relay.intakeStats };
		const started = performance.now();
		let stop = false;
		const flooding = flood(raw.ws, messageFrames(mallory.id), () => stop);
		let honest = 0;
		while (performance.now() - started < FLOOD_MS) {
			const id = `honest-${honest}`;
			a.doc.getArray('messages').push([{ id, author: alice.id, createdAt: Date.now(), text: id }]);
			await waitFor(() => messagesOf(b.doc).some((m) => m.id === id), { timeoutMs: 20_000, what: id });
			honest++;
		}
		stop = true;
		const sent = await flooding;
		const seconds = (performance.now() - started) / 1000;
		const accepted = messagesOf(server.parley.relay.rooms.peek(flooded.docName)!.doc).length;
		const relayStats = server.parley.relay.intakeStats;
		const queue = server.parley.relay.committer.queueStats;
		console.info(
			`flood (${testDatabaseKind()}, limits off): sent ${sent}, accepted ${accepted} in ${seconds.toFixed(1)} s; honest ${honest}; commit waits ${relayStats.commitWaits - stats.commitWaits}; doc queue max ${queue.maxDocItems}`
		);

		expect(honest).toBeGreaterThan(0);
		expect(relayStats.rateWaits).toBe(stats.rateWaits);
		// Far past what the buckets would have let through.
		expect(accepted).toBeGreaterThan(DEFAULT_LIMITS.relayUpdateBurst + DEFAULT_LIMITS.relayUpdateRatePerSecond * (seconds + 1));
		// Backpressure from the commit queue, and its bound held.
		expect(relayStats.commitWaits).toBeGreaterThan(stats.commitWaits);
		expect(queue.maxDocItems).toBeLessThanOrEqual(PER_DOC);
		expect(queue.maxItems).toBeLessThanOrEqual(DEFAULT_LIMITS.relayCommitQueueMaxItems);
	});

	it('[G9] awareness broadcasts stay coalesced without buckets', async () => {
		const lena = await signUp(server.url, 'lena');
		const group = await createConversation(mallory, { kind: 'group', title: 'Noisy', memberIds: [lena.id] });
		const listeners: RawClient[] = [];
		for (let i = 0; i < 10; i++) listeners.push(await connectRaw({ url: server.url, docName: group.docName, cookie: lena.cookie }));
		raws.push(...listeners);
		const { perListener, seconds, serverFrames } = await measureAwarenessFlood(server, mallory, listeners, group.docName);
		const flushMs = server.config.limits.relayAwarenessFlushMs;
		console.info(
			`awareness flood (${testDatabaseKind()}, limits off): server got ${serverFrames} in ${seconds.toFixed(1)} s; per listener: ${perListener.join(' ')}`
		);
		// The server took many more states than any listener got.
		expect(serverFrames).toBeGreaterThan(4 * (Math.ceil((seconds * 1000) / flushMs) + 2));
		for (const count of perListener) expect(count).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / flushMs) + 2);
	});
});
