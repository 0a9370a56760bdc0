// Bundled for the Chromium storage test: the IndexedDB backend and the journal, on `window`.
import * as Y from 'yjs';
import { IndexedDbDeviceStorage } from '../../../src/lib/client/storage/indexeddb.js';
import { StoreJournal } from '../../../src/lib/client/storage/journal.js';
import { Outbox } from '../../../src/lib/client/sync/outbox.js';

(globalThis as unknown as { parley: unknown }).parley = { Y, IndexedDbDeviceStorage, StoreJournal, Outbox };
