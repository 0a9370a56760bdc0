// The search worker's pieces in Node: changes read from a conversation document as they happen
// (feed.ts), and the worker's protocol end to end over a real MessageChannel (client.ts → host.ts),
// with the snapshot saved after changes and loaded again instead of re-indexing.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagesOf, watchMessages } from '$lib/client/search/feed';
import { SearchHost } from '$lib/client/search/host';
import { createSearchClient, type SearchClient, type SearchPort } from '$lib/client/search/client';
import { memorySnapshotStore, type SnapshotStore } from '$lib/client/search/store';
import type { IndexChange } from '$lib/client/search/local-index';
import type { SearchRequest } from '$lib/client/search/protocol';

const CONV = 'c'.repeat(24);
const envelope = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
	id,
	author: 'alice',
	createdAt: 1000,
	text,
	...extra
});

describe('feed: a document’s messages as index changes', () => {
	it('reads every message with its current text, then each append, edit and deletion', () => {
		const doc = new Y.Doc();
		const messages = doc.getArray<Record<string, unknown>>('messages');
		const edits = doc.getMap<{ text: string; editedAt: number }>('edits');
		messages.push([envelope('a', 'first'), envelope('b', 'second'), envelope('s', '', { kind: 'system' })]);
		edits.set('a', { text: 'first, edited', editedAt: 2000 });
		expect(messagesOf(doc)).toEqual([
			{ id: 'a', authorId: 'alice', createdAt: 1000, text: 'first, edited', editedAt: 2000 },
			{ id: 'b', authorId: 'alice', createdAt: 1000, text: 'second' },
			{ id: 's', authorId: 'alice', createdAt: 1000, text: '', kind: 'system' }
		]);
		const seen: IndexChange[][] = [];
		const stop = watchMessages(doc, CONV, (changes) => seen.push(changes));
		messages.push([envelope('c', 'third')]);
		edits.set('b', { text: 'second, edited', editedAt: 3000 });
		messages.delete(0, 1);
		// A change made elsewhere arrives as an update: the same changes come out.
		const remote = new Y.Doc();
		Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
		remote.getArray<Record<string, unknown>>('messages').push([envelope('d', 'from another device')]);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));
		stop();
		messages.push([envelope('e', 'after stop')]);
		expect(seen).toEqual([
			[{ type: 'upsert', conversationId: CONV, message: { id: 'c', authorId: 'alice', createdAt: 1000, text: 'third' } }],
			[
				{
					type: 'upsert',
					conversationId: CONV,
					message: { id: 'b', authorId: 'alice', createdAt: 1000, text: 'second, edited', editedAt: 3000 }
				}
			],
			[{ type: 'delete', conversationId: CONV, messageId: 'a' }],
			[{ type: 'upsert', conversationId: CONV, message: { id: 'd', authorId: 'alice', createdAt: 1000, text: 'from another device' } }]
		]);
	});
});

describe('search worker protocol (client ⇄ host over a MessageChannel)', () => {
	const clients: SearchClient[] = [];
	afterEach(() => clients.splice(0).forEach((c) => c.dispose()));

	/** A client whose "worker" is a host on the other end of a MessageChannel; timers are manual. */
	function connect(stores: Map<string, SnapshotStore>) {
		const timers: Array<() => void> = [];
		const host = new SearchHost({
			openStore: (userId) => stores.get(userId) ?? stores.set(userId, memorySnapshotStore()).get(userId)!,
			setTimer: (fn) => timers.push(fn),
			clearTimer: () => timers.splice(0)
		});
		const { port1, port2 } = new MessageChannel();
		port1.on('message', async (request: SearchRequest) => port1.postMessage(await host.handle(request)));
		const port: SearchPort = {
			postMessage: (m) => port2.postMessage(m),
			addEventListener: (_type, listener) => port2.on('message', (data) => listener({ data } as MessageEvent)),
			terminate: () => {
				port1.close();
				port2.close();
			}
		};
		const client = createSearchClient(() => port);
		clients.push(client);
		return { client, timers };
	}

	it('opens, indexes, queries, saves after changes, and loads the saved index on the next open', async () => {
		const stores = new Map<string, SnapshotStore>();
		const { client, timers } = connect(stores);
		await expect(client.query({ q: 'x' })).rejects.toThrow('not open');
		expect(await client.open({ userId: 'u1' })).toEqual({ size: 0, loaded: false });
		const doc = new Y.Doc();
		doc.getArray('messages').push([envelope('a', 'Встреча в пятницу'), envelope('b', 'Running late')]);
		expect(await client.sync({ conversationId: CONV, messages: messagesOf(doc) })).toEqual({
			added: 2,
			updated: 0,
			removed: 0,
			unchanged: 0
		});
		expect(timers).toHaveLength(1);
		const { hits } = await client.query({ q: 'встречи', now: 2000 });
		expect(hits.map((h) => [h.conversationId, h.messageId, h.highlights])).toEqual([[CONV, 'a', ['Встреча']]]);
		// The save timer fires: the snapshot is written once.
		timers.shift()!();
		const store = stores.get('u1') as ReturnType<typeof memorySnapshotStore>;
		await expect.poll(() => store.saves).toBe(1);
		expect(await client.flush({})).toEqual({ saved: false });
		await client.apply({ changes: [{ type: 'delete', conversationId: CONV, messageId: 'b' }] });
		expect(await client.close({})).toEqual({ saved: true });
		expect(store.saves).toBe(2);

		// A new worker (the app opened again): the index comes from the snapshot, nothing re-indexed.
		const again = connect(stores).client;
		expect(await again.open({ userId: 'u1' })).toEqual({ size: 1, loaded: true });
		expect(await again.sync({ conversationId: CONV, messages: messagesOf(doc).filter((m) => m.id === 'a') })).toEqual({
			added: 0,
			updated: 0,
			removed: 0,
			unchanged: 1
		});
		expect((await again.query({ q: 'running ' })).hits).toEqual([]);
		// Another user's index is another snapshot.
		expect(await again.open({ userId: 'u2' })).toEqual({ size: 0, loaded: false });
	});

	it('drops an unreadable snapshot and starts empty; refuses an oversized batch without breaking', async () => {
		const stores = new Map<string, SnapshotStore>();
		const broken = memorySnapshotStore();
		await broken.save('{"format": 1, "index": {');
		stores.set('u1', broken);
		const { client } = connect(stores);
		expect(await client.open({ userId: 'u1' })).toEqual({ size: 0, loaded: false });
		expect(await broken.load()).toBeUndefined();
		const many = Array.from({ length: 10_001 }, (_, i) => ({
			type: 'upsert' as const,
			conversationId: CONV,
			message: { id: `m${i}`, authorId: 'a', createdAt: 1, text: 'x' }
		}));
		await expect(client.apply({ changes: many })).rejects.toThrow('at most 10000 changes');
		expect(await client.stats({})).toEqual({ size: 0 });
	});
});
