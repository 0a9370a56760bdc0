// Seeded fuzzing of the live relay with random and mutated frames, and its limits: every bad
// frame closes its own connection with the documented code (or is refused), the server and the
// honest clients of this and another document go on, the stored copies still load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { CloseCode } from '../../../src/lib/sync/protocol.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { connectRaw, step1Frame, type RawClient } from '../../helpers/raw-sync.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { FrameFuzzer, hexHead, type FuzzFrame } from './frame-fuzz.js';

/**
 * Seeds run every time. All three first failed: a bit-flipped sync step 1 whose state vector did not
 * decode threw inside a promise callback (an unhandled rejection: process exit), fixed in room.ts.
 */
const SEEDS = [1, 2, 0xc0ffee];
/** Seeds that once found a bug, kept as regression cases (add a failing seed here). */
const REGRESSION_SEEDS: number[] = [];
/** Frames that once broke the relay, and what it must do with them now. */
const REGRESSION_FRAMES: FuzzFrame[] = [
	// sync step 1 whose state vector announces 5 entries and has none
	{ kind: 'step 1, truncated state vector', bytes: new Uint8Array([0, 0, 1, 5]), expect: 'malformed' }
];
const FRAMES_PER_SEED = 70;
/** A fast keep-alive, so that the unanswered-ping test takes a second, not a minute. */
const PING_MS = 250;

const envelope = (id: string, author: string, text = `text of ${id}`) => ({ id, author, createdAt: Date.now(), text });

/** Stores `docName` as the relay would load it. */
async function storedDoc(server: TestServer, docName: string): Promise<Y.Doc> {
	const stored = await server.parley.relay['options'].storage.load(docName);
	const doc = new Y.Doc();
	for (const update of stored.updates) Y.applyUpdate(doc, update);
	return doc;
}

describe(`relay fuzz (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let mallory: TestUser;
	let fuzzed: string;
	let other: string;
	const honest: { writer: SyncClient; reader: SyncClient; docName: string; author: string }[] = [];
	const clients: { destroy(): void }[] = [];

	beforeAll(async () => {
		server = await startTestServer({ overrides: { limits: { ...DEFAULT_LIMITS, relayPingIntervalMs: PING_MS } } });
		const [alice, bob] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob')];
		mallory = await signUp(server.url, 'mallory');
		fuzzed = (await createConversation(alice, { kind: 'group', title: 'Fuzzed', memberIds: [bob.id, mallory.id] })).docName;
		other = (await createConversation(alice, { kind: 'group', title: 'Quiet', memberIds: [bob.id] })).docName;
		for (const docName of [fuzzed, other]) {
			const writer = connectClient({ url: server.url, docName, cookie: alice.cookie });
			const reader = connectClient({ url: server.url, docName, cookie: bob.cookie });
			clients.push(writer, reader);
			honest.push({ writer, reader, docName, author: alice.id });
			await Promise.all([writer.synced(), reader.synced()]);
		}
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	/** One honest message per document, written and seen by the other member. */
	async function honestRound(tag: string): Promise<void> {
		for (const { writer, reader, docName, author } of honest) {
			const id = `${tag}-${docName.slice(-4)}`;
			writer.doc.getArray('messages').push([envelope(id, author)]);
			await waitFor(() => messagesOf(reader.doc).some((m) => m.id === id), { what: `honest ${id}` });
		}
	}

	for (const seed of [...REGRESSION_SEEDS, ...SEEDS]) {
		it(`seed ${seed}: each bad frame closes its connection (1007, 1009) or is refused; honest clients keep syncing`, async () => {
			const fuzzer = new FrameFuzzer(seed, mallory.id, server.config.limits.relayMaxFrameBytes);
			let socket: RawClient | null = null;
			const outcomes = new Map<string, number>();
			for (let i = 0; i < FRAMES_PER_SEED; i++) {
				const frame: FuzzFrame = i === FRAMES_PER_SEED >> 1 ? fuzzer.oversized() : fuzzer.next();
				try {
					if (!socket || socket.closed) {
						socket = await connectRaw({ url: server.url, docName: fuzzed, cookie: mallory.cookie });
						clients.push(socket);
					}
					const outcome = await deliver(socket, frame);
					outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
					if (frame.expect === 'malformed') expect(outcome).toBe(`closed ${CloseCode.Malformed}`);
					else if (frame.expect === 'too-big') expect(outcome).toBe(`closed ${CloseCode.TooBig}`);
					else expect(['accepted', 'denied', `closed ${CloseCode.Malformed}`]).toContain(outcome);
				} catch (error) {
					// the seed and frame rebuild the case: add the seed to REGRESSION_SEEDS once fixed
					throw new Error(`seed ${seed}, frame ${i} (${frame.kind}: ${hexHead(frame.bytes)}): ${(error as Error).message}`, {
						cause: error
					});
				}
				if (i % 10 === 9) await honestRound(`s${seed}-${i}`);
			}
			socket?.destroy();
			// not a degenerate run: frames were accepted, refused, and closed for both reasons
			expect([...outcomes.keys()].sort()).toEqual(
				['accepted', `closed ${CloseCode.Malformed}`, `closed ${CloseCode.TooBig}`, 'denied'].sort()
			);
		});
	}

	it('regression frames: each closes its connection with the documented code', async () => {
		for (const frame of REGRESSION_FRAMES) {
			const socket = await connectRaw({ url: server.url, docName: fuzzed, cookie: mallory.cookie });
			clients.push(socket);
			expect(await deliver(socket, frame), frame.kind).toBe(
				`closed ${frame.expect === 'too-big' ? CloseCode.TooBig : CloseCode.Malformed}`
			);
		}
		await honestRound('regressions');
	});

	it('the stored copies load and hold what the relay and the honest clients hold; no socket leaked', async () => {
		for (const { reader, docName } of honest) {
			const stored = await storedDoc(server, docName);
			const live = server.parley.relay.rooms.peek(docName)!.doc;
			expect(messagesOf(stored)).toEqual(messagesOf(live));
			await waitFor(() => JSON.stringify(messagesOf(reader.doc)) === JSON.stringify(messagesOf(live)), { what: 'the reader converged' });
			expect(stored.store.pendingStructs).toBeNull();
			expect(stored.store.pendingDs).toBeNull();
		}
		for (const { writer, reader } of honest) expect([...writer.denied, ...reader.denied]).toEqual([]);
		for (const client of clients.slice(honest.length * 2)) client.destroy();
		await waitFor(() => server.parley.relay.connectionCount === honest.length * 2, { what: 'only the honest sockets left' });
		expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
	});

	it('closes a connection that leaves a ping unanswered; answering ones stay', async () => {
		const silent = await connectRaw({ url: server.url, docName: fuzzed, cookie: mallory.cookie, autoPong: false });
		const polite = await connectRaw({ url: server.url, docName: fuzzed, cookie: mallory.cookie });
		clients.push(silent, polite);
		let pings = 0;
		polite.ws.on('ping', () => pings++);
		const closed = await silent.whenClosed;
		// terminated, not closed politely: a peer that does not answer pings will not answer a close either
		expect(closed.code).toBe(1006);
		await waitFor(() => pings >= 3, { what: 'three pings answered' });
		expect(polite.closed).toBeNull();
		await honestRound('after-ping');
		for (const { writer, reader } of honest) expect([...writer.closes, ...reader.closes]).toEqual([]);
		polite.destroy();
	});

	/** Sends one frame, then a sync step 1 as a barrier: its answer comes once the frame was handled. */
	async function deliver(socket: RawClient, frame: FuzzFrame): Promise<string> {
		const denied = socket.denied.length;
		const answers = socket.step2Count;
		socket.send(frame.bytes);
		if (frame.expect !== 'too-big') socket.send(step1Frame());
		await waitFor(() => socket.closed || socket.step2Count > answers, { what: 'the relay handled the frame' });
		if (socket.closed) return `closed ${socket.closed.code}`;
		return socket.denied.length > denied ? 'denied' : 'accepted';
	}
});

describe(`relay limits (${testDatabaseKind()})`, () => {
	const LIMITS = {
		...DEFAULT_LIMITS,
		relayMaxBufferedBytes: 64 * 1024,
		relayMaxConnectionsPerUser: 3,
		relayMaxQueuedBeforeReady: 4,
		relayMaxQueuedBytesBeforeReady: 64 * 1024
	};
	/** One document of ~750 KiB: every full sync answer is far over the backlog limit above. */
	const BIG = Array.from({ length: 50 }, (_, i) => i);
	let server: TestServer;
	let alice: TestUser;
	let bob: TestUser;
	let docName: string;
	let writer: SyncClient;
	let reader: SyncClient;
	const clients: { destroy(): void }[] = [];
	const raw = async (user: TestUser, name = docName) => {
		const client = await connectRaw({ url: server.url, docName: name, cookie: user.cookie });
		clients.push(client);
		return client;
	};
	/** Alice writes, Bob reads: the honest pair of the document keeps working. */
	const honestRound = async (id: string) => {
		writer.doc.getArray('messages').push([envelope(id, alice.id)]);
		await waitFor(() => messagesOf(reader.doc).some((m) => m.id === id), { what: `bob sees ${id}` });
	};

	beforeAll(async () => {
		server = await startTestServer({ overrides: { limits: LIMITS } });
		[alice, bob] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob')];
		docName = (await createConversation(alice, { kind: 'group', title: 'Big', memberIds: [bob.id] })).docName;
		writer = connectClient({ url: server.url, docName, cookie: alice.cookie });
		reader = connectClient({ url: server.url, docName, cookie: bob.cookie });
		clients.push(writer, reader);
		await Promise.all([writer.synced(), reader.synced()]);
		writer.doc.getArray('messages').push(BIG.map((i) => envelope(`big-${i}`, alice.id, 'x'.repeat(15_000))));
		await waitFor(() => messagesOf(reader.doc).length === BIG.length, { what: 'bob has the big document' });
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it('still sends a client that keeps up a frame larger than the backlog limit (a big document’s first sync)', async () => {
		const fresh = connectClient({ url: server.url, docName, cookie: bob.cookie });
		clients.push(fresh);
		await fresh.synced();
		expect(messagesOf(fresh.doc)).toHaveLength(BIG.length);
		expect(fresh.closes).toEqual([]);
		fresh.destroy();
	});

	it('drops a reader whose backlog passes relayMaxBufferedBytes (1013); the server and the others go on', async () => {
		const sloth = await signUp(server.url, 'sloth');
		expect((await alice.client.post(`/api/conversations/${docName.slice(5)}/members`, { userId: sloth.id })).status).toBe(201);
		const slow = await raw(sloth);
		const room = server.parley.relay.rooms.peek(docName)!;
		const serverSide = (await waitFor(() => [...room.connections].find((c) => c.userId === sloth.id), { what: 'the slow connection' }))!;
		// stop reading: what the relay sends piles up in the kernel, then in its own buffer
		const socket = (slow.ws as unknown as { _socket: import('node:net').Socket })._socket;
		socket.pause();
		// One step 1 at a time: a connection has at most one reply pending (the others would be
		// dropped), so each is sent once the one before was answered, into the growing backlog.
		const stats = server.parley.relay.intakeStats;
		for (let i = 0; i < 40 && !serverSide.closed; i++) {
			const received = stats.syncFrames;
			slow.send(step1Frame());
			await waitFor(() => (stats.syncFrames > received && !serverSide.replyPending) || serverSide.closed, { what: 'the step 1 answered' });
		}
		await waitFor(() => serverSide.closed, { what: 'the relay drops the slow reader' });
		await honestRound('after-slow');
		socket.resume();
		expect((await slow.whenClosed).code).toBe(CloseCode.TryAgainLater);
		expect([...writer.closes, ...reader.closes]).toEqual([]);
	});

	it('answers 429 to an upgrade past the per-user connection cap; other users still connect', async () => {
		const many = await signUp(server.url, 'many');
		expect((await alice.client.post(`/api/conversations/${docName.slice(5)}/members`, { userId: many.id })).status).toBe(201);
		const open = [await raw(many), await raw(many), await raw(many)];
		await expect(raw(many)).rejects.toThrow('upgrade refused: 429');
		await raw(bob).then((c) => c.destroy());
		open[0]!.destroy();
		await waitFor(() => server.parley.relay.connectionCount === 2 + 2, { what: 'the closed socket is counted out' });
		(await raw(many)).destroy();
		for (const c of open) c.destroy();
	});

	it('closes with 1008 a connection that sends more than the queue caps (count or bytes) before its document is ready', async () => {
		const storage = server.parley.relay['options'].storage;
		const load = storage.load;
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const [flooded, patient, heavy] = [
			(await createConversation(alice, { kind: 'group', title: 'Slow 1' })).docName,
			(await createConversation(alice, { kind: 'group', title: 'Slow 2' })).docName,
			(await createConversation(alice, { kind: 'group', title: 'Slow 3' })).docName
		];
		// creating a conversation may load its document (server writes): unload it again
		for (const name of [flooded, patient, heavy]) {
			const loaded = server.parley.relay.rooms.peek(name);
			if (loaded) await server.parley.relay.rooms.unload(loaded);
			expect(server.parley.relay.rooms.peek(name)).toBeUndefined();
		}
		// the documents load slowly (until the gate opens), so frames must wait in the queue
		storage.load = async (name: string) => {
			if (name === flooded || name === patient || name === heavy) await gate;
			return load.call(storage, name);
		};
		try {
			const flooder = await raw(alice, flooded);
			const waiter = await raw(alice, patient);
			for (let i = 0; i <= LIMITS.relayMaxQueuedBeforeReady; i++) flooder.send(new Uint8Array([3]));
			for (let i = 0; i < LIMITS.relayMaxQueuedBeforeReady; i++) waiter.send(step1Frame());
			expect((await flooder.whenClosed).code).toBe(CloseCode.PolicyViolation);
			// two frames, under the count cap, but over the byte cap together
			const lifter = await raw(alice, heavy);
			const half = LIMITS.relayMaxQueuedBytesBeforeReady / 2 + 1;
			for (let i = 0; i < 2; i++) lifter.send(new Uint8Array(half).fill(3));
			expect((await lifter.whenClosed).code).toBe(CloseCode.PolicyViolation);
			const dropped = server.parley.relay.intakeStats.step1Dropped;
			release();
			// up to the cap, queued frames are handled once the document is ready, in order: each step 1
			// is answered, or dropped while the connection's previous reply is still pending
			await waitFor(() => waiter.step2Count + server.parley.relay.intakeStats.step1Dropped - dropped === LIMITS.relayMaxQueuedBeforeReady, {
				what: 'the queued frames handled'
			});
			expect(waiter.step2Count).toBeGreaterThan(0);
			expect(waiter.closed).toBeNull();
			waiter.destroy();
		} finally {
			storage.load = load;
			release();
		}
		await honestRound('after-queue');
	});
});
