// [R3] Writes made offline reach the relay in our sync step 2 reply; an update sent on a fresh
// socket before that reply starts past clocks the relay has never seen, and the relay refuses the
// gap (R3) where stock Yjs would keep it pending. The client holds its update frames (and receipt
// probes) on each socket until it has answered the relay's step 1. Reproduced deterministically:
// the write happens in the socket's `connected` event, before any sync frame has been exchanged.
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { DocLink } from '$lib/client/sync/doc-link';
import { draftsDocName } from '$lib/sync/doc-names';
import { draftEntries } from '$lib/sync/schema';
import { MessageType } from '$lib/sync/protocol';
import { testDatabaseKind } from '../../helpers/database.js';
import type { TestServer } from '../../helpers/server.js';
import { messagesOf, socketWith, waitFor } from '../../helpers/sync.js';
import { createConversation, type TestUser } from '../../helpers/users.js';
import { FAST_RECONNECT, MemoryDeviceStorage, clientTestBed, openSession } from './helpers.js';

const envelope = (id: string, author: string) => ({ id, author, createdAt: Date.now(), text: `text of ${id}` });
const count = (doc: Y.Doc, id: string) => messagesOf(doc).filter((m) => m.id === id).length;

describe(`client: no update before the sync handshake (${testDatabaseKind()})`, () => {
	const bed = clientTestBed();
	const { stock } = bed;
	let server: TestServer, alice: TestUser, bob: TestUser;
	beforeAll(() => void ({ server, alice, bob } = bed));

	it('[R3] a conversation write made as the socket opens, after offline writes, is not refused and arrives once with them', async () => {
		const chat = await createConversation(alice, { kind: 'direct', userId: bob.id });
		const storage = new MemoryDeviceStorage();
		const session = await openSession(server, alice, storage, { online: false });
		bed.track(session);
		const handle = await session.acquire(chat.id);
		// offline: these clocks exist only here
		for (const id of ['off-1', 'off-2']) handle.sync.write({ kind: 'send', envelope: envelope(id, alice.id) });
		const refusals: string[] = [];
		handle.sync.on('refused', (reason) => refusals.push(reason));
		let wroteOnOpen = false;
		handle.sync.provider.on('status', ({ status }: { status: string }) => {
			if (status !== 'connected' || wroteOnOpen) return;
			wroteOnOpen = true;
			// the socket is open, no sync frame exchanged yet
			handle.sync.write({ kind: 'send', envelope: envelope('on-open', alice.id) });
		});
		session.setOnline(true);
		const bobs = stock.open(bob, chat.docName);
		await waitFor(() => ['off-1', 'off-2', 'on-open'].every((id) => count(bobs.doc, id) === 1), { what: 'bob has all three' });
		await waitFor(() => handle.sync.pending.length === 0 && handle.sync.status === 'up-to-date', { what: 'confirmed' });
		expect(wroteOnOpen).toBe(true);
		expect(refusals).toEqual([]);
		expect(messagesOf(bobs.doc).map((m) => m.id)).toEqual(['off-1', 'off-2', 'on-open']);
	});

	it('[R3] the drafts document (no outbox): a draft written as the socket opens, after an offline one, is not refused', async () => {
		const doc = new Y.Doc();
		const link = new DocLink({
			serverUrl: server.url.replace(/^http/, 'ws') + '/sync',
			docName: draftsDocName(alice.id),
			doc,
			check: async () => undefined,
			WebSocketPolyfill: socketWith({ cookie: alice.cookie }),
			reconnectLimits: FAST_RECONNECT
		});
		bed.cleanup(() => link.destroy());
		const denied: string[] = [];
		const auth = link.provider.messageHandlers[MessageType.Auth]!;
		link.provider.messageHandlers[MessageType.Auth] = (encoder, decoder, p, emitSynced, type) => {
			const copy = decoding.clone(decoder);
			if (decoding.readVarUint(copy) === 0) denied.push(decoding.readVarString(copy));
			auth(encoder, decoder, p, emitSynced, type);
		};
		draftEntries(doc).set(chatId(1), { text: 'typed offline', at: 1 });
		link.provider.on('status', ({ status }: { status: string }) => {
			if (status === 'connected' && !draftEntries(doc).has(chatId(2)))
				draftEntries(doc).set(chatId(2), { text: 'typed as it opened', at: 2 });
		});
		link.connect();
		await link.whenSynced();
		const relayCopy = stock.open(alice, draftsDocName(alice.id));
		await waitFor(() => draftEntries(relayCopy.doc).get(chatId(2))?.text === 'typed as it opened', {
			what: 'the relay has the second draft'
		});
		expect(draftEntries(relayCopy.doc).get(chatId(1))?.text).toBe('typed offline');
		expect(denied).toEqual([]);
	});
});

/** A well-formed conversation id (R26 checks draft keys). */
function chatId(n: number): string {
	return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
