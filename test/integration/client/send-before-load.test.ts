// A send made before its conversation's document has loaded (issue 17, finding 3): it goes to the
// persisted outbox at once (no in-memory queue), keeps its reply target, is shown as pending by
// `Session.waiting`, survives a "reload" and is delivered exactly once; a sticker sent in the
// same moment is sent too. And a write made while the document is loading is not lost.
import { beforeAll, describe, expect, it } from 'vitest';
import { appendMessage } from '$lib/sync/doc-ops';
import { testDatabaseKind } from '../../helpers/database.js';
import { messagesOf, waitFor } from '../../helpers/sync.js';
import { createConversation, type TestUser } from '../../helpers/users.js';
import { MemoryDeviceStorage, clientTestBed } from './helpers.js';

const byId = (envelopes: Record<string, unknown>[], id: string) => envelopes.filter((m) => m.id === id);

describe(`send before load (${testDatabaseKind()})`, () => {
	const bed = clientTestBed();
	const { stock } = bed;
	let alice: TestUser, bob: TestUser;
	beforeAll(() => void ({ alice, bob } = bed));

	it('a reply and a sticker sent before the document opened: persisted at once, pending, delivered once after a reload, reply kept', async () => {
		const chat = await createConversation(alice, { kind: 'direct', userId: bob.id });
		const bobs = stock.open(bob, chat.docName);
		await bobs.synced();
		appendMessage(bobs.doc, { id: 'question', author: bob.id, createdAt: Date.now(), text: 'lunch?' });

		const storage = new MemoryDeviceStorage();
		const first = await bed.open(alice, storage, { online: false });
		const reply = { id: 'answer', author: alice.id, createdAt: Date.now(), text: 'yes', replyTo: 'question' };
		const sticker = {
			id: 'sticker',
			author: alice.id,
			createdAt: Date.now(),
			text: '',
			kind: 'sticker' as const,
			sticker: { pack: 'p', id: 's' }
		};
		// nothing of this conversation was opened: no document, no outbox in memory
		expect(first.write(chat.id, { kind: 'send', envelope: reply })).toBe(true);
		expect(first.write(chat.id, { kind: 'send', envelope: sticker })).toBe(true);
		expect(first.waiting(chat.id).map((op) => op.kind === 'send' && op.envelope.id)).toEqual(['answer', 'sticker']);
		expect(first.pendingCount).toBe(2);
		await first.flush();
		const stored = await storage.user(alice.id).outbox.load(chat.docName);
		expect(stored.map((r) => r.op)).toEqual([
			{ kind: 'send', envelope: reply },
			{ kind: 'send', envelope: sticker }
		]);
		// the tab closes before the document ever loaded
		bed.close(first);

		const second = await bed.open(alice, storage);
		const handle = await second.acquire(chat.id);
		// restored from the store, shown as pending until delivered
		expect(handle.sync.pending.map((op) => op.kind === 'send' && op.envelope.id)).toEqual(['answer', 'sticker']);
		await waitFor(() => byId(messagesOf(bobs.doc), 'sticker').length === 1 && handle.sync.pending.length === 0, {
			what: 'delivered after the reload'
		});
		const got = messagesOf(bobs.doc);
		expect(byId(got, 'answer')).toEqual([expect.objectContaining({ text: 'yes', replyTo: 'question' })]);
		expect(byId(got, 'sticker')).toEqual([expect.objectContaining({ kind: 'sticker', sticker: { pack: 'p', id: 's' } })]);
		expect(got.map((m) => m.id)).toEqual(['question', 'answer', 'sticker']);
		await second.flush();
		expect(await storage.user(alice.id).outbox.load(chat.docName)).toEqual([]);
	});

	it('online, with no view: a send before the document opened is delivered once by the background pool', async () => {
		const chat = await createConversation(alice, { kind: 'group', title: 'No view', memberIds: [bob.id] });
		const storage = new MemoryDeviceStorage();
		const session = await bed.open(alice, storage);
		session.write(chat.id, { kind: 'send', envelope: { id: 'unopened', author: alice.id, createdAt: Date.now(), text: 'hi' } });
		const bobs = stock.open(bob, chat.docName);
		await waitFor(() => byId(messagesOf(bobs.doc), 'unopened').length === 1 && session.pendingCount === 0, { what: 'delivered' });
		expect(session.waiting(chat.id)).toEqual([]);
		await session.flush();
		expect(await storage.user(alice.id).outbox.load(chat.docName)).toEqual([]);
		expect(byId(messagesOf(bobs.doc), 'unopened')).toHaveLength(1);
	});

	it('a send while the document is loading joins the outbox in order, once', async () => {
		const chat = await createConversation(alice, { kind: 'group', title: 'Loading', memberIds: [bob.id] });
		const storage = new MemoryDeviceStorage();
		const session = await bed.open(alice, storage);
		const opening = session.acquire(chat.id);
		const ids = ['loading-1', 'loading-2'];
		session.write(chat.id, { kind: 'send', envelope: { id: ids[0]!, author: alice.id, createdAt: Date.now(), text: 'one' } });
		expect(session.waiting(chat.id).map((op) => op.kind === 'send' && op.envelope.id)).toEqual([ids[0]]);
		await Promise.resolve();
		session.write(chat.id, { kind: 'send', envelope: { id: ids[1]!, author: alice.id, createdAt: Date.now(), text: 'two' } });
		const handle = await opening;
		const later = { id: 'after-open', author: alice.id, createdAt: Date.now(), text: 'three' };
		session.write(chat.id, { kind: 'send', envelope: later });
		const bobs = stock.open(bob, chat.docName);
		await waitFor(() => byId(messagesOf(bobs.doc), 'after-open').length === 1 && handle.sync.pending.length === 0, {
			what: 'all delivered'
		});
		expect(messagesOf(bobs.doc).map((m) => m.id)).toEqual([...ids, 'after-open']);
		expect(session.waiting(chat.id)).toEqual([]);
	});
});
