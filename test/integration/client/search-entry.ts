// Bundled for the Chromium search test: the page's side of the on-device search (client, feed),
// the device storage (for the sign-out wipe) and Yjs, on `window`. The worker is bundled apart
// (src/lib/client/search/worker.ts) and served as /search-worker.js.
import * as Y from 'yjs';
import { createSearchClient } from '../../../src/lib/client/search/client.js';
import { messagesOf, watchMessages } from '../../../src/lib/client/search/feed.js';
import { IndexedDbDeviceStorage } from '../../../src/lib/client/storage/indexeddb.js';

const startWorker = () => new Worker('/search-worker.js', { type: 'module', name: 'parley-search' }) as never;
(globalThis as unknown as { parley: unknown }).parley = {
	Y,
	newClient: () => createSearchClient(startWorker),
	messagesOf,
	watchMessages,
	IndexedDbDeviceStorage
};
