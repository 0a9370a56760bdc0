// Offline-first, for real (issue 9): writes made offline are delivered on reconnect exactly once;
// the persisted outbox survives a "reload" (a new Session on the same device storage), including
// one in the middle of a send: a write the relay already stored is recognised as delivered by its
// envelope id (R13 would refuse it again), never sent twice and never reported as failed.
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RecoveryReport } from '$lib/client/sync/conversation-sync';
import { MediaOutbox } from '$lib/client/uploads/media-outbox';
import { testDatabaseKind } from '../../helpers/database.js';
import { messagesOf, waitFor } from '../../helpers/sync.js';
import { createConversation, type TestUser } from '../../helpers/users.js';
import { MemoryDeviceStorage, clientTestBed } from './helpers.js';

const envelope = (id: string, author: string) => ({ id, author, createdAt: Date.now(), text: `text of ${id}` });
const count = (doc: Y.Doc, id: string) => messagesOf(doc).filter((m) => m.id === id).length;

describe(`client outbox (${testDatabaseKind()})`, () => {
	const bed = clientTestBed();
	const { stock } = bed;
	let alice: TestUser, bob: TestUser;
	beforeAll(() => void ({ alice, bob } = bed));
	const open = bed.open;

	it('offline writes show as pending, are delivered on reconnect exactly once, and leave the persisted outbox empty', async () => {
		const chat = await createConversation(alice, { kind: 'direct', userId: bob.id });
		const storage = new MemoryDeviceStorage();
		const session = await open(alice, storage);
		const handle = await session.acquire(chat.id);
		await handle.sync.whenSynced();
		const bobs = stock.open(bob, chat.docName);
		await bobs.synced();

		session.setOnline(false);
		await waitFor(() => handle.sync.status === 'offline', { what: 'offline' });
		for (const id of ['off-1', 'off-2', 'off-3']) handle.sync.write({ kind: 'send', envelope: envelope(id, alice.id) });
		expect(handle.sync.pending).toHaveLength(3);
		await session.flush();
		expect((await storage.user(alice.id).outbox.load(chat.docName)).map((r) => r.op.kind === 'send' && r.op.envelope.id)).toEqual([
			'off-1',
			'off-2',
			'off-3'
		]);
		expect(handle.sync.status).toBe('offline'); // never "up to date" while writes wait

		session.setOnline(true);
		await waitFor(() => ['off-1', 'off-2', 'off-3'].every((id) => count(bobs.doc, id) === 1), { what: 'bob gets the offline posts' });
		await waitFor(() => handle.sync.pending.length === 0 && handle.sync.status === 'up-to-date', { what: 'confirmed' });
		await session.flush();
		expect(await storage.user(alice.id).outbox.load(chat.docName)).toEqual([]);
		expect(messagesOf(bobs.doc).map((m) => m.id)).toEqual(['off-1', 'off-2', 'off-3']);
	});

	it('a write made offline and a "reload" before reconnecting: the next session replays it from the persisted outbox, once', async () => {
		const chat = await createConversation(alice, { kind: 'direct', userId: bob.id });
		const storage = new MemoryDeviceStorage();
		const first = await open(alice, storage, { online: false });
		const handle = await first.acquire(chat.id);
		handle.sync.write({ kind: 'send', envelope: envelope('typed-offline', alice.id) });
		await first.flush();
		// the tab closes; y-indexeddb had not committed the document's last update (CLIENT-NOTES)
		first.destroy();
		storage.user(alice.id).loseRecentDocUpdates(chat.docName, 1);

		const second = await open(alice, storage, { online: false });
		const again = await second.acquire(chat.id);
		expect(again.sync.pending.map((op) => op.kind === 'send' && op.envelope.id)).toEqual(['typed-offline']);
		expect(again.sync.status).toBe('offline');
		const reports: RecoveryReport[] = [];
		again.sync.on('recovered', (r) => reports.push(r));
		// every status shown on the way: "up to date" never while the write waits
		const seen: [string, number, number][] = [];
		again.sync.on('change', () => seen.push([again.sync.status, again.sync.pending.length, reports.length]));
		second.setOnline(true);
		const bobs = stock.open(bob, chat.docName);
		await waitFor(() => count(bobs.doc, 'typed-offline') === 1 && again.sync.pending.length === 0, { what: 'delivered after the reload' });
		expect(reports.map((r) => [r.reason, r.resent.length, r.dropped.length])).toEqual([['restored', 1, 0]]);
		await waitFor(() => again.sync.status === 'up-to-date', { what: 'up to date' });
		expect(seen.some(([status]) => status === 'up-to-date')).toBe(true);
		expect(seen.filter(([status]) => status === 'up-to-date').every(([, pending, replays]) => pending === 0 && replays === 1)).toBe(true);
		expect(seen.map(([status]) => status)).toContain('connecting');
		await second.flush();
		expect(await storage.user(alice.id).outbox.load(chat.docName)).toEqual([]);
	});

	it('a "reload" mid-send (the relay stored the write, the receipt never came): recognised as delivered, not resent, not failed', async () => {
		const chat = await createConversation(alice, { kind: 'direct', userId: bob.id });
		const storage = new MemoryDeviceStorage();
		const first = await open(alice, storage, { online: false });
		const handle = await first.acquire(chat.id);
		handle.sync.write({ kind: 'send', envelope: envelope('mid-send', alice.id) });
		await first.flush();
		// what the dying tab managed to send: its document's update reaches the relay over its socket...
		const wire = stock.open(alice, chat.docName);
		await wire.synced();
		Y.applyUpdate(wire.doc, Y.encodeStateAsUpdate(handle.sync.doc));
		const bobs = stock.open(bob, chat.docName);
		await waitFor(() => count(bobs.doc, 'mid-send') === 1, { what: 'the relay stored it' });
		// ...but it died before the receipt, and its local copy of the document lost the write
		first.destroy();
		storage.user(alice.id).loseRecentDocUpdates(chat.docName, 1);
		expect((await storage.user(alice.id).outbox.load(chat.docName)).length).toBe(1);

		const second = await open(alice, storage);
		const again = await second.acquire(chat.id);
		const reports: RecoveryReport[] = [];
		const refusals: string[] = [];
		again.sync.on('recovered', (r) => reports.push(r));
		again.sync.on('refused', (reason) => refusals.push(reason));
		await waitFor(() => reports.length === 1 && again.sync.pending.length === 0, { what: 'the restored write confirmed' });
		expect(reports[0]!.already.map((op) => op.kind === 'send' && op.envelope.id)).toEqual(['mid-send']);
		expect(reports[0]!.resent).toEqual([]);
		expect(reports[0]!.dropped).toEqual([]);
		expect(refusals).toEqual([]); // never sent again (R13 would have refused it)
		expect(count(again.sync.doc, 'mid-send')).toBe(1);
		await waitFor(() => again.sync.status === 'up-to-date', { what: 'up to date' });
		expect(count(bobs.doc, 'mid-send')).toBe(1);
		await second.flush();
		expect(await storage.user(alice.id).outbox.load(chat.docName)).toEqual([]);
	});

	it('a burst sent online and the tab killed at once: the next session delivers every message exactly once', async () => {
		const chat = await createConversation(alice, { kind: 'group', title: 'Burst', memberIds: [bob.id] });
		const storage = new MemoryDeviceStorage();
		const first = await open(alice, storage);
		const handle = await first.acquire(chat.id);
		await handle.sync.whenSynced();
		const ids = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
		for (const id of ids) handle.sync.write({ kind: 'send', envelope: envelope(id, alice.id) });
		await first.flush();
		// killed mid-send: some frames may have reached the relay, no receipt is awaited
		first.destroy();
		storage.user(alice.id).loseRecentDocUpdates(chat.docName, 15);

		const second = await open(alice, storage);
		const again = await second.acquire(chat.id);
		const refusals: string[] = [];
		again.sync.on('refused', (reason) => refusals.push(reason));
		const bobs = stock.open(bob, chat.docName);
		await waitFor(() => ids.every((id) => count(bobs.doc, id) === 1) && again.sync.pending.length === 0, { what: 'every message once' });
		expect(messagesOf(bobs.doc).map((m) => m.id)).toEqual(ids);
		expect(refusals).toEqual([]);
	});

	it('a refusal after a reload (demoted while offline): recovery drops the posts, the refused copy leaves the device, the outbox empties', async () => {
		const channel = await createConversation(alice, { kind: 'channel', title: 'News' });
		expect((await alice.client.post(`/api/conversations/${channel.id}/members`, { userId: bob.id, role: 'admin' })).status).toBe(201);
		const storage = new MemoryDeviceStorage();
		const first = await open(bob, storage, { online: false });
		const handle = await first.acquire(channel.id);
		handle.sync.write({ kind: 'send', envelope: envelope('as-admin', bob.id) });
		await first.flush();
		first.destroy();
		expect((await alice.client.patch(`/api/conversations/${channel.id}/members/${bob.id}`, { role: 'subscriber' })).status).toBe(200);

		// the next load: the local copy holds the post (old client id), the outbox too
		const second = await open(bob, storage);
		// Issue 21 item 14: what is dropped is announced with its content, for the media outbox to keep
		const lost: Parameters<MediaOutbox['undelivered']>[1][number][] = [];
		second.on('undelivered', (conversationId, items) => {
			expect(conversationId).toBe(channel.id);
			lost.push(...items);
		});
		const again = await second.acquire(channel.id);
		const reports: RecoveryReport[] = [];
		again.sync.on('recovered', (r) => reports.push(r));
		await waitFor(() => reports.some((r) => r.dropped.length > 0) && !again.sync.recovering && again.sync.pending.length === 0, {
			what: 'recovered'
		});
		expect(reports.flatMap((r) => r.dropped.map((d) => d.rule))).toEqual(['R14']);
		expect(lost.map((l) => [l.envelope.id, l.envelope.text, l.reason.slice(0, 4)])).toEqual([['as-admin', 'text of as-admin', 'R14:']]);
		// ...and the media outbox keeps it as a failed message the person sees and can retry or remove
		const kept = new MediaOutbox({
			store: storage.user(bob.id).media,
			upload: () => Promise.reject(new Error('no uploads here')),
			publish: async () => {},
			me: bob.id,
			online: () => false
		});
		await kept.undelivered(channel.id, lost);
		expect(kept.pending(channel.id).map((p) => [p.record.id, p.record.caption, !!p.record.failed])).toEqual([
			['as-admin', 'text of as-admin', true]
		]);
		kept.destroy();
		expect(count(again.sync.doc, 'as-admin')).toBe(0);
		await second.flush();
		expect(await storage.user(bob.id).outbox.load(channel.docName)).toEqual([]);
		second.destroy();

		// and a reload offline shows nothing of the refused post: the old copy was replaced
		const third = await open(bob, storage, { online: false });
		const offline = await third.acquire(channel.id);
		expect(count(offline.sync.doc, 'as-admin')).toBe(0);
		expect(offline.sync.pending).toEqual([]);
	});
});
