/**
 * Device storage in IndexedDB. Databases:
 * - `parley` — the last signed-in user's profile (read before we know who is signed in);
 * - `parley.<userId>` — that user's outbox, small values and media waiting for upload (version 2
 *   added the `media` store; an upgrade only creates missing stores, so version 1 data stays);
 * - `parley.<userId>.doc.<docName>` — one y-indexeddb database per document;
 * - `parley.<userId>.search` — the on-device search index (search/store.ts);
 * and `localStorage` keys `parley.<userId>.journal.*` — the synchronous journal (drafts typed
 * just before a reload: an IndexedDB transaction started on page hide may never commit).
 * Writes resolve when their transaction has committed (`oncomplete`), not when the request
 * succeeded. `wipe` tells other tabs first (BroadcastChannel), then awaits every deletion.
 */
import type * as Y from 'yjs';
import { encodeStateAsUpdate } from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { OutboxRecord } from '../sync/outbox.js';
import type { MediaRecord } from '../uploads/records.js';
import { searchDbName } from '../search/store.js';
import type { DeviceStorage, KeyValueStore, LocalDoc, MediaStore, OutboxStore, SyncKeyValueStore, UserStorage } from './types.js';

const DEVICE_DB = 'parley';
const CHANNEL = 'parley.storage';
/** Separates a document name from a record key in the outbox store (neither contains NUL). */
const SEP = '\u0000';

/** Database names of a user (the user id is in all of them: `wipe` deletes by prefix). */
export const userDbName = (userId: string) => `parley.${userId}`;
export const docDbName = (userId: string, docName: string) => `parley.${userId}.doc.${docName}`;

/** localStorage prefix of a user's journal (the user id is in it: `wipe` removes by prefix). */
export const journalPrefix = (userId: string) => `parley.${userId}.journal.`;

/** A synchronous store over `localStorage`; every access is best effort (quota, storage disabled). */
function localStorageJournal(prefix: string): SyncKeyValueStore {
	const storage = (): Storage | null => {
		try {
			return typeof localStorage === 'undefined' ? null : localStorage;
		} catch {
			return null; // storage disabled: reading the property throws
		}
	};
	const parse = <T>(raw: string | null): T | undefined => {
		if (raw === null) return undefined;
		try {
			return JSON.parse(raw) as T;
		} catch {
			return undefined;
		}
	};
	return {
		get: (key) => parse(storage()?.getItem(prefix + key) ?? null),
		set: (key, value) => storage()?.setItem(prefix + key, JSON.stringify(value)),
		delete: (key) => storage()?.removeItem(prefix + key),
		entries: <T>(keyPrefix: string) => {
			const s = storage();
			if (!s) return [];
			const out: [string, T][] = [];
			for (let i = 0; i < s.length; i++) {
				const key = s.key(i);
				if (!key?.startsWith(prefix + keyPrefix)) continue;
				const value = parse<T>(s.getItem(key));
				if (value !== undefined) out.push([key.slice(prefix.length), value]);
			}
			return out;
		}
	};
}

/** Removes every journal key of `userId`. */
function clearJournal(userId: string): void {
	try {
		if (typeof localStorage === 'undefined') return;
		const keys: string[] = [];
		for (let i = 0; i < localStorage.length; i++) {
			const key = localStorage.key(i);
			if (key?.startsWith(journalPrefix(userId))) keys.push(key);
		}
		for (const key of keys) localStorage.removeItem(key);
	} catch {
		// storage disabled: nothing was journalled
	}
}

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

function committed(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = () => reject(tx.error);
		tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
	});
}

/** Schema version of a user's database: 2 added the `media` store. */
const USER_DB_VERSION = 2;

function open(name: string, stores: string[], version = 1): Promise<IDBDatabase> {
	const req = indexedDB.open(name, version);
	req.onupgradeneeded = () => {
		for (const store of stores) if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store);
	};
	return request(req).then((db) => {
		// another tab deletes this database (a wipe): let it go instead of blocking the deletion
		db.onversionchange = () => db.close();
		return db;
	});
}

/** Deletes a database and waits until it is gone (y-indexeddb's `clearData` returns before: CLIENT-NOTES). */
export function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.deleteDatabase(name);
		req.onsuccess = () => resolve();
		req.onerror = () => reject(req.error);
		// blocked: a handle elsewhere has not closed yet; `success` still follows once it has
	});
}

/**
 * Keeps y-indexeddb's update listener off the document while it loads: with any `update`
 * listener, Yjs encodes each transaction as an update, and the load is one transaction holding
 * the whole stored document (a third of a 10 000-message conversation's cold open), which
 * y-indexeddb's own listener then ignores (its origin is the persistence). Anything written to
 * the document by others meanwhile is stored in full once the listener is back.
 */
function quietLoad(persistence: IndexeddbPersistence, doc: Y.Doc): void {
	let foreign = false;
	const watch = (tr: Y.Transaction) => {
		if (tr.origin !== persistence) foreign = true;
	};
	doc.off('update', persistence._storeUpdate);
	doc.on('afterTransaction', watch);
	persistence.once('synced', () => {
		doc.off('afterTransaction', watch);
		if (persistence._destroyed) return;
		doc.on('update', persistence._storeUpdate);
		if (foreign) persistence._storeUpdate(encodeStateAsUpdate(doc), null);
	});
}

class IdbUser implements UserStorage {
	#db: Promise<IDBDatabase> | null = null;
	readonly outbox: OutboxStore;
	readonly kv: KeyValueStore;
	readonly media: MediaStore;
	readonly journal: SyncKeyValueStore;
	constructor(
		readonly userId: string,
		private readonly onDoc: (docName: string) => void
	) {
		const db = () => (this.#db ??= open(userDbName(userId), ['outbox', 'kv', 'media'], USER_DB_VERSION));
		const write = async (store: string, fn: (s: IDBObjectStore) => void) => {
			const tx = (await db()).transaction(store, 'readwrite');
			fn(tx.objectStore(store));
			await committed(tx);
		};
		const read = async <T>(store: string, fn: (s: IDBObjectStore) => IDBRequest<T>) =>
			request(fn((await db()).transaction(store, 'readonly').objectStore(store)));
		const range = (prefix: string) => IDBKeyRange.bound(prefix, prefix + '\uffff');
		this.outbox = {
			load: async (docName) => (await read('outbox', (s) => s.getAll(range(docName + SEP)))) as OutboxRecord[],
			put: (docName, records) => write('outbox', (s) => records.forEach((r) => s.put(r, docName + SEP + r.key))),
			delete: (docName, keys) => write('outbox', (s) => keys.forEach((k) => s.delete(docName + SEP + k))),
			docNames: async () => [...new Set(((await read('outbox', (s) => s.getAllKeys())) as string[]).map((k) => k.split(SEP)[0]!))]
		};
		this.media = {
			all: async () =>
				((await read('media', (s) => s.getAll())) as MediaRecord[]).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)),
			put: (record) => write('media', (s) => s.put(record, record.id)),
			delete: (id) => write('media', (s) => s.delete(id))
		};
		this.journal = localStorageJournal(journalPrefix(userId));
		this.kv = {
			get: (key) => read('kv', (s) => s.get(key)),
			set: (key, value) => write('kv', (s) => s.put(value, key)),
			delete: (key) => write('kv', (s) => s.delete(key)),
			entries: async <T>(prefix: string) => {
				const store = (await db()).transaction('kv', 'readonly').objectStore('kv');
				const [keys, values] = await Promise.all([request(store.getAllKeys(range(prefix))), request(store.getAll(range(prefix)))]);
				return keys.map((k, i) => [k as string, values[i] as T] as [string, T]);
			}
		};
	}

	bindDoc(docName: string, doc: Y.Doc): LocalDoc {
		this.onDoc(docName);
		const persistence = new IndexeddbPersistence(docDbName(this.userId, docName), doc);
		quietLoad(persistence, doc);
		return {
			loaded: persistence.whenSynced.then(() => undefined),
			destroy: () => persistence.destroy()
		};
	}

	clearDoc(docName: string): Promise<void> {
		return deleteDatabase(docDbName(this.userId, docName));
	}

	close(): void {
		void this.#db?.then((db) => db.close());
		this.#db = null;
	}
}

/** Device storage in this browser's IndexedDB. */
export class IndexedDbDeviceStorage implements DeviceStorage {
	#users = new Map<string, IdbUser>();
	#device: Promise<IDBDatabase> | null = null;
	#channel: BroadcastChannel | null = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
	#listeners = new Set<(userId: string) => void>();

	constructor() {
		this.#channel?.addEventListener('message', (event: MessageEvent<{ wiped?: string }>) => {
			const userId = event.data?.wiped;
			if (typeof userId !== 'string') return;
			this.#forget(userId);
			for (const listener of this.#listeners) listener(userId);
		});
	}

	user(userId: string): UserStorage {
		let user = this.#users.get(userId);
		if (!user) this.#users.set(userId, (user = new IdbUser(userId, (docName) => this.noteDoc(userId, docName))));
		return user;
	}

	async lastUser<T>(): Promise<T | undefined> {
		const db = await this.#deviceDb();
		return request(db.transaction('meta', 'readonly').objectStore('meta').get('lastUser'));
	}

	async setLastUser(value: unknown): Promise<void> {
		const tx = (await this.#deviceDb()).transaction('meta', 'readwrite');
		tx.objectStore('meta').put(value, 'lastUser');
		await committed(tx);
	}

	async wipe(userId: string): Promise<void> {
		// other tabs first: a deletion while they hold the database makes their next write throw (CLIENT-NOTES)
		this.#channel?.postMessage({ wiped: userId });
		this.#forget(userId);
		clearJournal(userId);
		// The search index's database too, where `databases()` is missing (search/store.ts).
		const names = new Set([userDbName(userId), searchDbName(userId)]);
		const listed = (await indexedDB.databases?.()) ?? [];
		for (const { name } of listed) if (name && (name === userDbName(userId) || name.startsWith(userDbName(userId) + '.'))) names.add(name);
		// documents we know of even where `databases()` is missing
		for (const name of this.#knownDocs.get(userId) ?? []) names.add(name);
		await Promise.all([...names].map(deleteDatabase));
		const last = await this.lastUser<{ id?: string }>();
		if (last?.id === userId) {
			const tx = (await this.#deviceDb()).transaction('meta', 'readwrite');
			tx.objectStore('meta').delete('lastUser');
			await committed(tx);
		}
	}

	onWiped(listener: (userId: string) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Document databases opened in this tab, per user. */
	#knownDocs = new Map<string, Set<string>>();

	/** Notes a document database (so `wipe` finds it without `indexedDB.databases()`). */
	noteDoc(userId: string, docName: string): void {
		let set = this.#knownDocs.get(userId);
		if (!set) this.#knownDocs.set(userId, (set = new Set()));
		set.add(docDbName(userId, docName));
	}

	#forget(userId: string): void {
		this.#users.get(userId)?.close();
		this.#users.delete(userId);
	}

	#deviceDb(): Promise<IDBDatabase> {
		return (this.#device ??= open(DEVICE_DB, ['meta']));
	}
}
