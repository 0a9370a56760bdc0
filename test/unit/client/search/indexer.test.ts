// The session's feed into the on-device index (indexer.ts) over a real MessageChannel to a real
// SearchHost: a document attached once is synced, then followed change by change (insert, edit,
// delete, remote updates, a recovered document), forgotten conversations leave the index, and
// reopening after close loads the snapshot instead of re-indexing.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SearchHost } from '$lib/client/search/host';
import { createSearchClient, type SearchPort } from '$lib/client/search/client';
import { memorySnapshotStore, type SnapshotStore } from '$lib/client/search/store';
import { SearchIndexer } from '$lib/client/search/indexer';
import type { SearchRequest } from '$lib/client/search/protocol';

const A = 'a'.repeat(24);
const B = 'b'.repeat(24);
const envelope = (id: string, text: string, createdAt = 1000) => ({ id, author: 'anna', createdAt, text });

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** An indexer whose worker is a host on the other end of a MessageChannel (snapshots in `stores`). */
function indexer(stores: Map<string, SnapshotStore>, errors: unknown[] = []) {
	let connects = 0;
	const make = () => {
		connects++;
		const host = new SearchHost({
			openStore: (userId) => stores.get(userId) ?? stores.set(userId, memorySnapshotStore()).get(userId)!,
			setTimer: () => 0,
			clearTimer: () => {}
		});
		const { port1, port2 } = new MessageChannel();
		port1.on('message', async (request: SearchRequest) => port1.postMessage(await host.handle(request)));
		closers.push(() => (port1.close(), port2.close()));
		const port: SearchPort = {
			postMessage: (m) => port2.postMessage(m),
			addEventListener: (_type, listener) => port2.on('message', (data) => listener({ data } as MessageEvent))
		};
		return createSearchClient(() => port);
	};
	const index = new SearchIndexer({ userId: 'u1', connect: async () => make(), onError: (e) => errors.push(e) });
	return { index, connects: () => connects };
}

const ids = async (index: SearchIndexer, q: string, conversationId?: string) =>
	(await index.query(q, conversationId ? { conversationId } : undefined)).map((h) => h.messageId).sort();

describe('SearchIndexer: the documents feed the device index incrementally', () => {
	it('syncs a loaded document, then follows inserts, edits, deletions and remote updates', async () => {
		const stores = new Map<string, SnapshotStore>();
		const errors: unknown[] = [];
		const { index, connects } = indexer(stores, errors);
		const doc = new Y.Doc();
		const messages = doc.getArray<Record<string, unknown>>('messages');
		const edits = doc.getMap<{ text: string; editedAt: number }>('edits');
		messages.push([envelope('m1', 'Адрес доставки: Лесная 5'), envelope('m2', 'Running late, sorry')]);
		const stop = index.attach(A, doc);
		expect(await ids(index, 'адреса ')).toEqual(['m1']);
		expect(connects()).toBe(1);

		// insert
		messages.push([envelope('m3', 'Another address: Field street', 2000)]);
		expect(await ids(index, 'address ')).toEqual(['m3']);
		// edit: the old words leave, the new ones come
		edits.set('m2', { text: 'Running on time after all', editedAt: 3000 });
		expect(await ids(index, 'late ')).toEqual([]);
		expect(await ids(index, 'time ')).toEqual(['m2']);
		// delete
		messages.delete(0, 1);
		expect(await ids(index, 'доставка ')).toEqual([]);
		// a change from another device, as an update
		const remote = new Y.Doc();
		Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
		remote.getArray<Record<string, unknown>>('messages').push([envelope('m4', 'Ёлка у Анны', 4000)]);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));
		// folding: ё/е and case, Russian stems
		expect(await ids(index, 'елки анна')).toEqual(['m4']);

		// no longer followed once stopped; stopping twice is harmless (Yjs logs an unknown handler)
		const logged: unknown[] = [];
		const error = console.error;
		console.error = (...args: unknown[]) => void logged.push(args);
		try {
			stop();
			stop();
		} finally {
			console.error = error;
		}
		expect(logged).toEqual([]);
		messages.push([envelope('m5', 'unseen words', 5000)]);
		expect(await ids(index, 'unseen')).toEqual([]);
		expect(errors).toEqual([]);
	});

	it('batches a burst into few calls, keeps conversations apart, and forgets one left', async () => {
		const stores = new Map<string, SnapshotStore>();
		const { index } = indexer(stores);
		const a = new Y.Doc();
		const b = new Y.Doc();
		index.attach(A, a);
		index.attach(B, b);
		a.transact(() => {
			for (let i = 0; i < 500; i++) a.getArray('messages').push([envelope(`a${i}`, `meeting number ${i}`, 1000 + i)]);
		});
		b.getArray('messages').push([envelope('b1', 'meeting in the other chat')]);
		await index.settled();
		expect((await index.query('meeting', { conversationId: B })).map((h) => h.messageId)).toEqual(['b1']);
		expect(await ids(index, 'number 499')).toEqual(['a499']);
		index.forget(B);
		expect((await index.query('meeting', { conversationId: B })).length).toBe(0);
		expect((await index.query('meeting', { conversationId: A })).length).toBeGreaterThan(0);
	});

	it('saves on close; the next session loads the snapshot and a resync changes nothing', async () => {
		const stores = new Map<string, SnapshotStore>();
		const first = indexer(stores).index;
		const doc = new Y.Doc();
		doc.getArray('messages').push([envelope('m1', 'квартальный отчёт'), envelope('m2', 'quarterly report')]);
		first.attach(A, doc);
		await first.settled();
		await first.close();
		const store = stores.get('u1') as ReturnType<typeof memorySnapshotStore>;
		expect(store.saves).toBe(1);
		// closed: changes after close are ignored, queries answer nothing
		doc.getArray('messages').push([envelope('m3', 'late report')]);
		expect(await first.query('report')).toEqual([]);

		const second = indexer(stores).index;
		expect(await ids(second, 'отчет')).toEqual(['m1']);
		second.attach(A, doc);
		expect(await ids(second, 'report')).toEqual(['m2', 'm3']);
		await second.close();
		expect(store.saves).toBe(2);
	});
});
