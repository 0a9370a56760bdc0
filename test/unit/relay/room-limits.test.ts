// A room's own bounds (issue 8 red-team follow-up): L8 (the document's size), sync step 1 answered
// at most once at a time per connection, from a cached encoding, charged by its reply's size and
// never encoded for a socket that does not read; a connection refused too often is closed; a
// query-awareness is answered at most once per interval. Real Room, real Yjs, real storage in
// memory; the socket is a stand-in that records what is sent (no network needed for these).
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { GroupCommitter } from '../../../server/relay/group-commit.js';
import { Room, type RoomLimits } from '../../../server/relay/room.js';
import { Connection } from '../../../server/relay/connection.js';
import { MemoryStorage, type AppendItem } from '../../../server/relay/storage.js';
import { newIntakeStats } from '../../../server/relay/intake.js';
import { TokenBucket } from '../../../server/relay/token-bucket.js';
import type { ProjectedChanges } from '../../../server/relay/projection.js';
import { CloseCode, MessageType, SyncType } from '../../../src/lib/sync/protocol.js';

/** Storage whose appends wait until `release()`: commits stay pending as long as a test needs. */
class GatedStorage extends MemoryStorage {
	#gate: Promise<void> = Promise.resolve();
	#open = () => {};
	hold(): void {
		this.#gate = new Promise((resolve) => (this.#open = resolve));
	}
	release(): void {
		this.#open();
	}
	override async append(items: readonly AppendItem[]): Promise<void> {
		await this.#gate;
		return super.append(items);
	}
}

/** A socket stand-in: records frames and closes; `bufferedAmount` is set by the test. */
function fakeSocket() {
	const sent: Uint8Array[] = [];
	const closes: number[] = [];
	const ws = {
		readyState: WebSocket.OPEN,
		bufferedAmount: 0,
		send: (frame: Uint8Array) => sent.push(frame),
		on: () => {},
		close: (code: number) => closes.push(code),
		terminate: () => {},
		pause: () => {},
		resume: () => {}
	};
	return { ws, sent, closes };
}

const MAX_BUFFERED = 1 << 20;

function setup(limits: Partial<RoomLimits> = {}) {
	const storage = new GatedStorage();
	const stats = newIntakeStats();
	let now = 1_000;
	const room = new Room(
		'conv.aaaaaaaaaaaaaaaaaaaaaaaa',
		{ updates: [], clients: new Map(), logLength: 0 },
		{
			committer: new GroupCommitter<ProjectedChanges>(storage, { relayGroupCommitMaxBatch: 64, relayCommitsInFlight: 1 }),
			log: pino({ level: 'silent' }),
			onFailure: () => {},
			limits,
			stats,
			now: () => now
		}
	);
	const connect = (userId = 'ann') => {
		const socket = fakeSocket();
		const connection = new Connection(
			socket.ws as unknown as WebSocket,
			userId,
			's1',
			room.name,
			{ kind: 'group', role: 'member' },
			MAX_BUFFERED
		);
		return { connection, ...socket };
	};
	return { room, storage, stats, connect, advance: (ms: number) => (now += ms) };
}

/** Sync step 2 frames among `sent`. */
const step2s = (sent: Uint8Array[]) =>
	sent.filter((frame) => {
		const d = decoding.createDecoder(frame);
		return decoding.readVarUint(d) === MessageType.Sync && decoding.readVarUint(d) === SyncType.Step2;
	});
/** Permission-denied reasons among `sent`. */
const denials = (sent: Uint8Array[]) =>
	sent.flatMap((frame) => {
		const d = decoding.createDecoder(frame);
		if (decoding.readVarUint(d) !== MessageType.Auth || decoding.readVarUint(d) !== 0) return [];
		return [decoding.readVarString(d)];
	});
const emptyVector = () => Y.encodeStateVector(new Y.Doc());

describe('room bounds', () => {
	it('[G8] answers one sync step 1 at a time per connection; later ones wait behind it and are each answered, in order', async () => {
		const { room, storage, stats, connect } = setup();
		await room.serverWrite((doc) => doc.getMap('meta').set('title', 'x'.repeat(10_000)));
		storage.hold();
		void room.serverWrite((doc) => doc.getMap('meta').set('k', 1)); // a commit pending: replies wait
		const { connection, sent } = connect();
		for (let i = 0; i < 5; i++) room.answerSyncStep1(connection, emptyVector());
		expect(connection.deferredStep1).toHaveLength(4);
		expect(stats.step1Dropped).toBe(0);
		expect(step2s(sent)).toHaveLength(0);
		storage.release();
		await room.whenDurable();
		for (let i = 0; i < 10 && step2s(sent).length < 5; i++) await new Promise((resolve) => setImmediate(resolve));
		expect(step2s(sent)).toHaveLength(5);
		expect(connection.deferredStep1).toHaveLength(0);
	});

	it('[G8] closes a connection whose waiting step 1 frames pass relayStep1QueueMax', async () => {
		const { room, storage, stats, connect } = setup({ relayStep1QueueMax: 3 });
		storage.hold();
		void room.serverWrite((doc) => doc.getMap('meta').set('k', 1));
		const { connection } = connect();
		for (let i = 0; i < 3 + 1; i++) room.answerSyncStep1(connection, emptyVector());
		expect(connection.closed).toBe(false);
		room.answerSyncStep1(connection, emptyVector());
		expect(stats.step1Dropped).toBe(1);
		expect(connection.closed).toBe(true);
		storage.release();
		await room.whenDurable();
	});

	it('[G8] encodes the reply for one state vector once per version of the document, and charges its size to the reply budget', async () => {
		const { room, stats, connect } = setup();
		await room.serverWrite((doc) => doc.getMap('meta').set('title', 'x'.repeat(20_000)));
		const budget = new TokenBucket(1, 1 << 20, () => 0);
		const clients = Array.from({ length: 10 }, () => connect());
		for (const { connection } of clients) {
			connection.replyBuckets = [budget];
			room.answerSyncStep1(connection, emptyVector());
		}
		expect(stats.step1CacheHits).toBe(9);
		await new Promise((resolve) => setImmediate(resolve));
		const reply = step2s(clients[0]!.sent)[0]!;
		// Ten connections share one buffer; each reply is charged in full.
		for (const { sent } of clients) expect(step2s(sent)[0]).toBe(reply);
		expect(budget.tokens).toBe((1 << 20) - 10 * reply.byteLength);
		// A change of the document drops the cached encoding.
		await room.serverWrite((doc) => doc.getMap('meta').set('k', 2));
		room.answerSyncStep1(connect().connection, emptyVector());
		expect(stats.step1CacheHits).toBe(9);
	});

	it('[G8] closes a connection whose send backlog is over half the limit before encoding anything for it', () => {
		const { room, stats, connect } = setup();
		const { connection, ws, sent, closes } = connect();
		ws.bufferedAmount = MAX_BUFFERED / 2 + 1;
		room.answerSyncStep1(connection, emptyVector());
		expect(closes).toEqual([CloseCode.TryAgainLater]);
		expect(stats.step1BacklogCloses).toBe(1);
		expect(sent).toHaveLength(0);
	});

	it('[L8] refuses an update that would take the document past relayDocMaxBytes, before checking it', async () => {
		const { room, stats, connect } = setup({ relayDocMaxBytes: 30_000 });
		await room.serverWrite((doc) => doc.getMap('meta').set('title', 'x'.repeat(20_000)));
		expect(room.sizeBytes).toBeGreaterThan(20_000);
		const { connection, sent } = connect();
		const client = new Y.Doc();
		client.getMap('meta').set('description', 'y'.repeat(12_000));
		room.receiveUpdate(connection, Y.encodeStateAsUpdate(client));
		expect(denials(sent)).toEqual(['L8: the conversation has reached its size limit']);
		expect(stats.docSizeRefusals).toBe(1);
		expect(room.doc.getMap('meta').has('description')).toBe(false);
		expect(room.sizeBytes).toBeLessThanOrEqual(30_000);
	});

	it('closes a connection after relayRefusalsBeforeClose refused updates within the window; fewer, or spread out, are only refused', () => {
		const { room, stats, connect, advance } = setup({ relayRefusalsBeforeClose: 5, relayRefusalWindowMs: 60_000, relayDocMaxBytes: 10 });
		const refused = () => {
			const doc = new Y.Doc();
			doc.getMap('meta').set('x', 1);
			return Y.encodeStateAsUpdate(doc);
		};
		// Spread over more than the window: never five within one minute.
		const honest = connect();
		for (let i = 0; i < 8; i++) {
			room.receiveUpdate(honest.connection, refused());
			advance(15_001);
		}
		expect(honest.closes).toEqual([]);
		const prober = connect('bob');
		for (let i = 0; i < 4; i++) room.receiveUpdate(prober.connection, refused());
		expect(prober.closes).toEqual([]);
		room.receiveUpdate(prober.connection, refused());
		expect(prober.closes).toEqual([CloseCode.PolicyViolation]);
		expect(stats.refusalCloses).toBe(1);
	});

	it('answers a query-awareness at most once per relayAwarenessQueryMinMs per connection', () => {
		const { room, stats, connect, advance } = setup({ relayAwarenessQueryMinMs: 200 });
		const { connection, sent } = connect();
		for (let i = 0; i < 10; i++) room.answerAwarenessQuery(connection);
		expect(sent).toHaveLength(1);
		expect(stats.awarenessQueriesSkipped).toBe(9);
		advance(200);
		room.answerAwarenessQuery(connection);
		expect(sent).toHaveLength(2);
	});
});
