// A member flooding a conversation with valid one-line messages (issue 8, item 2), with the
// relay's rate limits on (the default): the flooder is throttled by pausing its socket, the
// commit queue stays within its bounds, another conversation keeps delivering, the heap stays
// bounded, and a connection over its rate too long is closed with CloseCode.RateLimited.
// Limits: docs/sync-rules.md "Rate limits". Wall times are never asserted (the machine is shared).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, messagesOf, upgradeStatus, waitFor, type SyncClient } from '../../helpers/sync.js';
import { connectRaw, type RawClient } from '../../helpers/raw-sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { CloseCode } from '../../../src/lib/sync/protocol.js';
import { flood, messageFrames } from '../../../bench/flood.js';

/** How long the flood runs here (`npm run bench -- abuse` runs it for 30 s). */
const FLOOD_MS = 6_000;

/** Sends `count` messages from `from` in its conversation and waits until `to` has them all. */
async function exchange(from: SyncClient, to: SyncClient, authorId: string, count: number, tag: string) {
	const before = messagesOf(to.doc).length;
	for (let i = 0; i < count; i++)
		from.doc.getArray('messages').push([{ id: `${tag}-${i}`, author: authorId, createdAt: Date.now(), text: `${tag} ${i}` }]);
	await waitFor(() => messagesOf(to.doc).length >= before + count, { timeoutMs: 20_000, what: `${count} messages of ${tag}` });
}

describe(`a flood of valid messages is throttled (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let mallory: TestUser, alice: TestUser, bob: TestUser;
	let flooded: { docName: string }, quiet: { docName: string };
	const clients: SyncClient[] = [];
	const raws: RawClient[] = [];

	beforeAll(async () => {
		server = await startTestServer();
		[mallory, alice, bob] = [await signUp(server.url, 'mallory'), await signUp(server.url, 'alice'), await signUp(server.url, 'bob')];
		flooded = await createConversation(mallory, { kind: 'group', title: 'Flooded', memberIds: [alice.id] });
		quiet = await createConversation(alice, { kind: 'group', title: 'Quiet', memberIds: [bob.id] });
	});
	afterEach(() => {
		for (const client of clients.splice(0)) client.destroy();
		for (const raw of raws.splice(0)) raw.destroy();
	});
	afterAll(() => server?.close());

	const open = (user: TestUser, docName: string) => {
		const client = connectClient({ url: server.url, docName, cookie: user.cookie });
		clients.push(client);
		return client;
	};

	it('[G5] a stock client’s burst of a few dozen messages, and its reconnect, pass without waiting', async () => {
		const a = open(alice, quiet.docName);
		const b = open(bob, quiet.docName);
		await Promise.all([a.synced(), b.synced()]);
		const waits = server.parley.relay.intakeStats.rateWaits;
		await exchange(a, b, alice.id, 40, 'burst');
		// Offline writes go out as one sync step 2 on reconnect.
		a.provider.disconnect();
		for (let i = 0; i < 30; i++)
			a.doc.getArray('messages').push([{ id: `offline-${i}`, author: alice.id, createdAt: Date.now(), text: 'offline' }]);
		a.provider.connect();
		await waitFor(() => messagesOf(b.doc).length >= 70, { what: 'the offline messages after the reconnect' });
		expect(server.parley.relay.intakeStats.rateWaits).toBe(waits);
	});

	it('[G4] one member flooding one conversation is throttled; another conversation keeps delivering; queue and heap stay bounded', async () => {
		const limits = server.config.limits;
		const a = open(alice, quiet.docName);
		const b = open(bob, quiet.docName);
		await Promise.all([a.synced(), b.synced()]);
		const raw = await connectRaw({ url: server.url, docName: flooded.docName, cookie: mallory.cookie });
		raws.push(raw);
		await raw.roundTrip();
		const heapBefore = process.memoryUsage().heapUsed;
		const stats = { ...server.parley.relay.intakeStats };
		const started = performance.now();
		let stop = false;
		const flooding = flood(raw.ws, messageFrames(mallory.id), () => stop);
		// Honest traffic meanwhile: a message at a time in the other conversation, each awaited.
		let honest = 0;
		while (performance.now() - started < FLOOD_MS) {
			await exchange(a, b, alice.id, 1, `honest-${honest}`);
			honest++;
		}
		stop = true;
		const sent = await flooding;
		const seconds = (performance.now() - started) / 1000;
		const room = server.parley.relay.rooms.peek(flooded.docName)!;
		const accepted = messagesOf(room.doc).filter((m) => m.author === mallory.id).length;
		const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
		const relayStats = server.parley.relay.intakeStats;
		console.info(
			`flood (${testDatabaseKind()}): sent ${sent}, accepted ${accepted} in ${seconds.toFixed(1)} s; honest ${honest}; heap +${(heapGrowth / 2 ** 20).toFixed(0)} MiB; queue max ${server.parley.relay.committer.queueStats.maxItems}`
		);

		expect(honest).toBeGreaterThan(0);
		// Throttled: frames waited for tokens, and what got in is the connection's burst plus its rate.
		expect(relayStats.rateWaits).toBeGreaterThan(stats.rateWaits);
		expect(accepted).toBeLessThanOrEqual(limits.relayUpdateBurst + limits.relayUpdateRatePerSecond * (seconds + 1));
		expect(sent).toBeGreaterThan(accepted);
		// Not closed: it was over its rate for less than relayRateLimitCloseAfterMs.
		expect(raw.closed).toBeNull();
		const queue = server.parley.relay.committer.queueStats;
		expect(queue.maxItems).toBeLessThanOrEqual(limits.relayCommitQueueMaxItems);
		expect(queue.maxDocItems).toBeLessThanOrEqual(limits.relayCommitQueueMaxPerDoc);
		expect(heapGrowth).toBeLessThan(256 * 2 ** 20);
	});
});

describe(`a connection over its rate too long is closed (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let mallory: TestUser;
	let flooded: { docName: string };
	const closeAfterMs = 1_500;

	beforeAll(async () => {
		server = await startTestServer({
			overrides: { limits: { ...DEFAULT_LIMITS, relayRateLimitCloseAfterMs: closeAfterMs, relayRateLimitPenaltyMs: 60_000 } }
		});
		mallory = await signUp(server.url, 'mallory');
		flooded = await createConversation(mallory, { kind: 'group', title: 'Flooded', memberIds: [] });
	});
	afterAll(() => server?.close());

	it('[G6] closes it with 4290 (a stock client reconnects after it) and refuses its user’s upgrades for a while (429)', async () => {
		const raw = await connectRaw({ url: server.url, docName: flooded.docName, cookie: mallory.cookie });
		await raw.roundTrip();
		const closes = server.parley.relay.intakeStats.overLimitCloses;
		const flooding = flood(raw.ws, messageFrames(mallory.id), () => false);
		const closed = await raw.whenClosed;
		await flooding;
		expect(closed.code).toBe(CloseCode.RateLimited);
		// Outside 4400–4499, where the stock provider gives up for good.
		expect(closed.code < 4400 || closed.code > 4499).toBe(true);
		expect(server.parley.relay.intakeStats.overLimitCloses).toBe(closes + 1);
		const url = `${server.url.replace(/^http/, 'ws')}/sync/${flooded.docName}`;
		expect(await upgradeStatus(url, { cookie: mallory.cookie })).toBe(429);
	});
});
