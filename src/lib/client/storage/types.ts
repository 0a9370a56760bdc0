/**
 * What the client keeps on the device, behind small interfaces: IndexedDB in the browser
 * (`indexeddb.ts`), memory in Node tests (`memory.ts`). Everything of a user lives in databases
 * whose names carry the user id, so that `wipe(userId)` finds and deletes all of it.
 */
import type * as Y from 'yjs';
import type { OutboxRecord } from '../sync/outbox.js';
import type { MediaRecord } from '../uploads/records.js';

/** Pending writes per document, persisted; every call resolves once the write is durable. */
export interface OutboxStore {
	/** The records of `docName`, in key order (= write order). */
	load(docName: string): Promise<OutboxRecord[]>;
	put(docName: string, records: readonly OutboxRecord[]): Promise<void>;
	delete(docName: string, keys: readonly string[]): Promise<void>;
	/** Document names with pending records (to send them even if their view is never opened). */
	docNames(): Promise<string[]>;
}

/** Media messages waiting for their uploads (files kept as Blobs); every call resolves once durable. */
export interface MediaStore {
	/** Every record, oldest first. */
	all(): Promise<MediaRecord[]>;
	put(record: MediaRecord): Promise<void>;
	delete(id: string): Promise<void>;
}

/** Small values (cached people, local draft copies); every call resolves once durable. */
export interface KeyValueStore {
	get<T>(key: string): Promise<T | undefined>;
	set(key: string, value: unknown): Promise<void>;
	delete(key: string): Promise<void>;
	/** Entries whose key starts with `prefix`. */
	entries<T>(prefix: string): Promise<[string, T][]>;
}

/**
 * Small values written synchronously (localStorage in the browser): a crash journal for what an
 * awaited store may not commit before the page goes (a draft typed just before a reload).
 * Writes may fail (quota, storage off): callers treat it as best effort.
 */
export interface SyncKeyValueStore {
	get<T>(key: string): T | undefined;
	set(key: string, value: unknown): void;
	delete(key: string): void;
	/** Entries whose key starts with `prefix`. */
	entries<T>(prefix: string): [string, T][];
}

/** A document's local copy (y-indexeddb in the browser), bound to a `Y.Doc`. */
export interface LocalDoc {
	/** Resolves once the stored state has been applied to the document. */
	readonly loaded: Promise<void>;
	/** Stops persisting (the stored copy stays). */
	destroy(): Promise<void>;
}

/** Everything one user keeps on this device. */
export interface UserStorage {
	readonly userId: string;
	readonly outbox: OutboxStore;
	readonly kv: KeyValueStore;
	/** Media messages waiting for their uploads (wiped with the rest). */
	readonly media: MediaStore;
	/** Synchronous journal (wiped with the rest of the user's data). */
	readonly journal: SyncKeyValueStore;
	/** Binds `doc` to the stored copy of `docName` (loads it, then persists every update). */
	bindDoc(docName: string, doc: Y.Doc): LocalDoc;
	/** Deletes the stored copy of `docName` (after a recovery: the old copy holds refused structs). */
	clearDoc(docName: string): Promise<void>;
	/** Closes open handles (no deletion). */
	close(): void;
}

/** The device's storage: per-user storage, the last signed-in user, and the wipe. */
export interface DeviceStorage {
	/** The storage of `userId` (opened lazily). */
	user(userId: string): UserStorage;
	/** The last signed-in user's cached profile, for an offline boot. */
	lastUser<T>(): Promise<T | undefined>;
	setLastUser(value: unknown): Promise<void>;
	/**
	 * Deletes every database of `userId` (awaited; other tabs are told first so that they close
	 * their handles) and forgets them as the last user.
	 */
	wipe(userId: string): Promise<void>;
	/** Called in this tab when another tab wiped `userId`: close everything of that user. */
	onWiped(listener: (userId: string) => void): () => void;
}
