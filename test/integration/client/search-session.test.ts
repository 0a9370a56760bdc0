// The session keeps the device's search index in step with the documents (issue 20): a
// conversation opened is indexed from what the device holds, then every message another person
// appends, edits or deletes through the relay reaches the index; sign-out saves and closes it.
// Real server, real sockets; the worker is a real SearchHost across a MessageChannel.
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { conversationTypes } from '$lib/sync/schema';
import { SearchHost } from '$lib/client/search/host';
import { createSearchClient, type SearchPort } from '$lib/client/search/client';
import { memorySnapshotStore } from '$lib/client/search/store';
import { SearchIndexer } from '$lib/client/search/indexer';
import type { SearchRequest } from '$lib/client/search/protocol';
import { testDatabaseKind } from '../../helpers/database.js';
import { waitFor } from '../../helpers/sync.js';
import { createConversation } from '../../helpers/users.js';
import { MemoryDeviceStorage, clientTestBed } from './helpers.js';

describe(`session → device search index (${testDatabaseKind()})`, () => {
	const bed = clientTestBed();

	it('indexes an opened conversation, follows remote appends, edits and deletions, and saves at sign-out', async () => {
		const { alice, bob, stock } = bed;
		const group = await createConversation(alice, { kind: 'group', title: 'Index me', memberIds: [bob.id] });
		const writer = stock.open(alice, group.docName);
		await writer.synced();
		const t = conversationTypes(writer.doc);
		t.messages.push([{ id: 'before', author: alice.id, createdAt: Date.now(), text: 'Встреча в пятницу у Анны' }]);

		const store = memorySnapshotStore();
		const { port1, port2 } = new MessageChannel();
		const host = new SearchHost({ openStore: () => store, setTimer: () => 0, clearTimer: () => {} });
		port1.on('message', async (request: SearchRequest) => port1.postMessage(await host.handle(request)));
		bed.cleanup(() => (port1.close(), port2.close()));
		const port: SearchPort = {
			postMessage: (m) => port2.postMessage(m),
			addEventListener: (_type, listener) => port2.on('message', (data) => listener({ data } as MessageEvent))
		};
		const index = new SearchIndexer({ userId: bob.id, connect: async () => createSearchClient(() => port) });
		const session = await bed.open(bob, new MemoryDeviceStorage(), { searchIndex: index });
		const ids = async (q: string) => (await index.query(q)).map((h) => h.messageId).sort();

		const handle = await session.acquire(group.id);
		const has = (id: string) =>
			conversationTypes(handle.sync.doc)
				.messages.toArray()
				.some((m) => m.id === id);
		await waitFor(() => has('before'), { what: 'the first message synced' });
		await waitFor(async () => (await ids('встречи ')).length === 1, { what: 'the loaded message indexed' });

		t.messages.push([{ id: 'later', author: alice.id, createdAt: Date.now(), text: 'Running late, sorry' }]);
		await waitFor(async () => (await ids('run ')).join() === 'later', { what: 'a remote append indexed' });
		t.edits.set('later', { text: 'On time after all', editedAt: Date.now() });
		await waitFor(async () => (await ids('time ')).join() === 'later', { what: 'a remote edit indexed' });
		expect(await ids('run ')).toEqual([]);
		t.messages.delete(
			t.messages.toArray().findIndex((m) => m.id === 'before'),
			1
		);
		await waitFor(async () => (await ids('встречи ')).length === 0, { what: 'a remote deletion indexed' });

		handle.release();
		await session.signOut();
		expect(store.saves).toBeGreaterThanOrEqual(1);
		// closed with the session: nothing answers any more
		expect(await index.query('time')).toEqual([]);
	});
});
