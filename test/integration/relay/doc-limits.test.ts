// Red-team follow-up to issue 8 (items 1, 2, 5): a document cannot grow past relayDocMaxBytes (L8);
// sync step 1 is charged by the size of its reply and answered from one cached encoding; a
// connection refused frame after frame is closed; an awareness frame with far more entries than
// the room holds is dropped unread. Real server, real database, stock and raw y-websocket peers.
// Counters and closes are asserted, never wall times.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { awarenessFrame, connectRaw, step1Frame, updateFrame, type RawClient } from '../../helpers/raw-sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { CloseCode } from '../../../src/lib/sync/protocol.js';

/** Small enough to reach with a few messages; everything else as deployed. */
const DOC_MAX = 96 * 1024;
const REPLY_BURST = 64 * 1024;

describe(`document and reply bounds (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser;
	let conv: { docName: string }, other: { docName: string };
	const clients: SyncClient[] = [];
	const raws: RawClient[] = [];

	beforeAll(async () => {
		server = await startTestServer({
			overrides: {
				limits: {
					...DEFAULT_LIMITS,
					relayDocMaxBytes: DOC_MAX,
					relayUserReplyBytesBurst: REPLY_BURST,
					relayUserReplyBytesPerSecond: 64 * 1024
				}
			}
		});
		[alice, bob, carol] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob'), await signUp(server.url, 'carol')];
		conv = await createConversation(alice, { kind: 'group', title: 'Big', memberIds: [bob.id, carol.id] });
		other = await createConversation(bob, { kind: 'group', title: 'Other', memberIds: [carol.id] });
	});
	afterEach(() => {
		for (const c of clients.splice(0)) c.destroy();
		for (const r of raws.splice(0)) r.destroy();
	});
	afterAll(() => server?.close());

	const raw = async (user: TestUser, docName: string) => {
		const r = await connectRaw({ url: server.url, docName, cookie: user.cookie });
		raws.push(r);
		await r.roundTrip();
		return r;
	};
	/** One 12 KB message from `user` through `r`, as its own update. */
	const sendMessage = (r: RawClient, user: TestUser, id: string) => {
		const before = Y.encodeStateVector(r.doc);
		r.doc.getArray('messages').push([{ id, author: user.id, createdAt: Date.now(), text: 'x'.repeat(12_000) }]);
		r.send(updateFrame(Y.encodeStateAsUpdate(r.doc, before)));
	};

	it('[L8] refuses updates that would take a conversation past relayDocMaxBytes; other conversations are untouched', async () => {
		const a = await raw(alice, conv.docName);
		const stats = server.parley.relay.intakeStats;
		const refusedBefore = stats.docSizeRefusals;
		for (let i = 0; i < 10; i++) sendMessage(a, alice, `big-${i}`);
		await waitFor(() => a.denied.length > 0, { what: 'an L8 refusal' });
		expect(a.denied[0]).toMatch(/^L8: /);
		expect(stats.docSizeRefusals).toBeGreaterThan(refusedBefore);
		const room = server.parley.relay.rooms.peek(conv.docName)!;
		expect(room.sizeBytes).toBeLessThanOrEqual(DOC_MAX);
		// What was accepted reached others; nothing past the bound did.
		const b = connectClient({ url: server.url, docName: conv.docName, cookie: bob.cookie });
		clients.push(b);
		await b.synced();
		const accepted = messagesOf(b.doc).length;
		expect(accepted).toBeGreaterThan(0);
		expect(accepted).toBeLessThan(10);
		// Another conversation takes writes as before.
		const c = connectClient({ url: server.url, docName: other.docName, cookie: carol.cookie });
		const d = connectClient({ url: server.url, docName: other.docName, cookie: bob.cookie });
		clients.push(c, d);
		await Promise.all([c.synced(), d.synced()]);
		c.doc.getArray('messages').push([{ id: 'small-1', author: carol.id, createdAt: Date.now(), text: 'hi' }]);
		await waitFor(() => messagesOf(d.doc).some((m) => m.id === 'small-1'), { what: 'delivery in the other conversation' });
		expect(c.denied).toEqual([]);
	});

	it('closes a connection refused relayRefusalsBeforeClose times within the window (1008)', async () => {
		const a = await raw(alice, conv.docName);
		const closesBefore = server.parley.relay.intakeStats.refusalCloses;
		for (let i = 0; i < DEFAULT_LIMITS.relayRefusalsBeforeClose; i++) sendMessage(a, alice, `again-${i}`);
		const closed = await a.whenClosed;
		expect(closed.code).toBe(CloseCode.PolicyViolation);
		expect(a.denied.length).toBe(DEFAULT_LIMITS.relayRefusalsBeforeClose);
		expect(server.parley.relay.intakeStats.refusalCloses).toBe(closesBefore + 1);
	});

	it('sync step 1 replies come from one cached encoding and are charged by size: a user asking for a large document again and again waits', async () => {
		const stats = server.parley.relay.intakeStats;
		const hitsBefore = stats.step1CacheHits;
		const waitsBefore = stats.replyWaits;
		// Two fresh peers ask with the same (empty) state vector: one encoding.
		const b = await raw(bob, conv.docName);
		await raw(carol, conv.docName);
		expect(stats.step1CacheHits).toBeGreaterThan(hitsBefore);
		// Each reply is ~80 KiB, bob's budget 64 KiB: his next step 1 frames wait for it to refill.
		const asked = 4;
		const answeredBefore = b.step2Count;
		const droppedBefore = stats.step1Dropped;
		for (let i = 0; i < asked; i++) b.send(step1Frame());
		// Every one is answered, or dropped because an earlier reply was still pending.
		await waitFor(() => b.step2Count - answeredBefore + (stats.step1Dropped - droppedBefore) >= asked, {
			what: 'every step 1 answered or dropped',
			timeoutMs: 20_000
		});
		expect(stats.replyWaits).toBeGreaterThan(waitsBefore);
		expect(b.closed).toBeNull();
	});

	it('[A4] drops an awareness frame with far more entries than the room holds, without closing the sender', async () => {
		const a = await raw(alice, conv.docName);
		const before = server.parley.relay.intakeStats.awarenessEntryRefusals;
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, 5_000);
		for (let i = 0; i < 5_000; i++) {
			encoding.writeVarUint(e, 1_000 + i);
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, '{"typing":true}');
		}
		a.send(awarenessFrame(encoding.toUint8Array(e)));
		await a.roundTrip();
		expect(server.parley.relay.intakeStats.awarenessEntryRefusals).toBe(before + 1);
		expect(a.closed).toBeNull();
		expect(server.parley.relay.rooms.peek(conv.docName)!.awareness.getStates().size).toBe(0);
	});
});
