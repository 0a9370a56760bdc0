/** The persisted outbox: journaled in order and in batches, replayed after a reload without duplicates. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Outbox, createKeyMaker, type OutboxRecord } from '../../../src/lib/client/sync/outbox.js';
import { StoreJournal } from '../../../src/lib/client/storage/journal.js';
import { MemoryDeviceStorage } from '../../../src/lib/client/storage/memory.js';
import type { OutboxStore } from '../../../src/lib/client/storage/types.js';
import type { WriteOp } from '../../../src/lib/client/sync/write-ops.js';

const env = (id: string, author: string) => ({ id, author, createdAt: 1_700_000_000_000, text: `text of ${id}` });
const send = (id: string, author = 'bob'): WriteOp => ({ kind: 'send', envelope: env(id, author) });
const ids = (records: OutboxRecord[]) => records.map((r) => (r.op.kind === 'send' ? r.op.envelope.id : r.op.kind));

/** An outbox store that counts its calls (the memory store underneath is the real one). */
function counting(store: OutboxStore) {
	const calls: string[] = [];
	const counted: OutboxStore = {
		load: (d) => store.load(d),
		docNames: () => store.docNames(),
		put: (d, r) => (calls.push(`put ${r.length}`), store.put(d, r)),
		delete: (d, k) => (calls.push(`delete ${k.length}`), store.delete(d, k))
	};
	return { store: counted, calls };
}

describe('persisted outbox', () => {
	it('journals each write under a key that sorts in write order; a burst is one store call; confirmation deletes', async () => {
		const device = new MemoryDeviceStorage();
		const { store, calls } = counting(device.user('bob').outbox);
		const journal = new StoreJournal(store, 'conv.x');
		const outbox = new Outbox({ journal });
		const doc = new Y.Doc();
		for (let i = 0; i < 50; i++) outbox.write(doc, 'bob', send(`m${i}`));
		await journal.flushed();
		expect(calls).toEqual(['put 50']);
		const stored = await store.load('conv.x');
		expect(ids(stored)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
		outbox.confirmThrough(outbox.pending[29]!.seq);
		await journal.flushed();
		expect(ids(await store.load('conv.x'))).toEqual(Array.from({ length: 20 }, (_, i) => `m${i + 30}`));
	});

	it('a delete never overtakes the put it deletes (write then confirm in the same tick)', async () => {
		const device = new MemoryDeviceStorage();
		const journal = new StoreJournal(device.user('bob').outbox, 'conv.x');
		const outbox = new Outbox({ journal });
		const doc = new Y.Doc();
		outbox.write(doc, 'bob', send('a'));
		outbox.confirmThrough(outbox.lastSeq);
		outbox.write(doc, 'bob', send('b'));
		await journal.flushed();
		expect(ids(await device.user('bob').outbox.load('conv.x'))).toEqual(['b']);
	});

	it('keys sort in creation order across sessions, also within one millisecond', () => {
		let t = 1_000;
		const first = createKeyMaker(
			() => t,
			() => 0.1
		);
		const a = [first(), first(), first()];
		t++;
		const second = createKeyMaker(
			() => t,
			() => 0.9
		); // the next session
		const b = [second(), second()];
		const all = [...a, ...b];
		expect([...all].sort()).toEqual(all);
		expect(new Set(all).size).toBe(5);
	});

	it('after a reload: what the relay already holds is recognised (kept until a receipt, not written again), the rest is resent, once', async () => {
		const device = new MemoryDeviceStorage();
		const store = device.user('bob').outbox;
		const beforeJournal = new StoreJournal(store, 'conv.x');
		const before = new Outbox({ journal: beforeJournal });
		const local = new Y.Doc();
		before.write(local, 'bob', send('stored'));
		before.write(local, 'bob', send('lost'));
		before.write(local, 'bob', { kind: 'react', messageId: 'stored', emoji: ['👍'] });
		await beforeJournal.flushed();

		// the relay got "stored" before the tab died
		const relay = new Y.Doc();
		relay.getArray('messages').push([env('stored', 'bob')]);
		const fresh = new Y.Doc();
		Y.applyUpdate(fresh, Y.encodeStateAsUpdate(relay));

		const journal = new StoreJournal(store, 'conv.x');
		const after = new Outbox({ journal });
		const restored = await store.load('conv.x');
		const updates: Uint8Array[] = [];
		fresh.on('update', (u: Uint8Array) => updates.push(u));
		const result = after.replay(fresh, restored, { userId: 'bob', role: 'member', kind: 'group' });
		expect(result.already.map((op) => op.kind === 'send' && op.envelope.id)).toEqual(['stored']);
		expect(result.resent.map((op) => op.kind)).toEqual(['send', 'react']);
		expect(result.dropped).toEqual([]);
		expect(
			fresh
				.getArray<{ id: string }>('messages')
				.toArray()
				.map((m) => m.id)
		).toEqual(['stored', 'lost']);
		expect(updates).toHaveLength(2); // "stored" was not written again
		// all three wait for a receipt, under their original keys (nothing journaled twice)
		expect(after.pending.map((w) => w.key)).toEqual(restored.map((r) => r.key));
		after.confirmThrough(after.lastSeq);
		await journal.flushed();
		expect(await store.load('conv.x')).toEqual([]);
	});

	it('a restored write the rules no longer allow is dropped from the journal too', async () => {
		const device = new MemoryDeviceStorage();
		const store = device.user('bob').outbox;
		await store.put('conv.x', [{ key: 'k1', op: send('p1') }]);
		const journal = new StoreJournal(store, 'conv.x');
		const outbox = new Outbox({ journal });
		const result = outbox.replay(new Y.Doc(), await store.load('conv.x'), { userId: 'bob', role: 'subscriber', kind: 'channel' });
		expect(result.dropped.map((d) => d.rule)).toEqual(['R14']);
		await journal.flushed();
		expect(await store.load('conv.x')).toEqual([]);
	});

	it('a store failure (quota) is reported and does not stop later writes from being journaled', async () => {
		const device = new MemoryDeviceStorage();
		const real = device.user('bob').outbox;
		let failNext = true;
		const flaky: OutboxStore = {
			...real,
			load: (d) => real.load(d),
			docNames: () => real.docNames(),
			delete: (d, k) => real.delete(d, k),
			put: async (d, r) => {
				if (failNext) {
					failNext = false;
					throw new DOMException('quota', 'QuotaExceededError');
				}
				return real.put(d, r);
			}
		};
		const errors: unknown[] = [];
		const journal = new StoreJournal(flaky, 'conv.x', (e) => errors.push(e));
		const outbox = new Outbox({ journal });
		const doc = new Y.Doc();
		outbox.write(doc, 'bob', send('a'));
		await expect(journal.flushed()).rejects.toThrow('quota');
		outbox.write(doc, 'bob', send('b'));
		await journal.flushed();
		expect(errors).toHaveLength(1);
		expect(ids(await real.load('conv.x'))).toEqual(['b']);
		expect(outbox.pending).toHaveLength(2); // still in memory: sent when online
	});
});
