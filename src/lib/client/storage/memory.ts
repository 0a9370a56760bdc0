/**
 * In-memory device storage with the IndexedDB backend's semantics, for Node tests. Two hubs given
 * the same `MemoryDeviceStorage` see the same data, as two page loads of one browser would; a
 * document's copy can be made to lose its latest updates (`loseRecentDocUpdates`), as y-indexeddb
 * does when a tab closes right after a burst (CLIENT-NOTES).
 */
import * as Y from 'yjs';
import type { OutboxRecord } from '../sync/outbox.js';
import type { MediaRecord } from '../uploads/records.js';
import type { DeviceStorage, KeyValueStore, LocalDoc, MediaStore, OutboxStore, SyncKeyValueStore, UserStorage } from './types.js';

class MemoryOutbox implements OutboxStore {
	readonly records = new Map<string, Map<string, OutboxRecord>>();
	async load(docName: string): Promise<OutboxRecord[]> {
		const all = [...(this.records.get(docName)?.values() ?? [])];
		return structuredClone(all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
	}
	async put(docName: string, records: readonly OutboxRecord[]): Promise<void> {
		let map = this.records.get(docName);
		if (!map) this.records.set(docName, (map = new Map()));
		for (const r of records) map.set(r.key, structuredClone(r));
	}
	async delete(docName: string, keys: readonly string[]): Promise<void> {
		const map = this.records.get(docName);
		for (const key of keys) map?.delete(key);
		if (map?.size === 0) this.records.delete(docName);
	}
	async docNames(): Promise<string[]> {
		return [...this.records.keys()];
	}
}

class MemoryKv implements KeyValueStore {
	readonly values = new Map<string, unknown>();
	async get<T>(key: string): Promise<T | undefined> {
		return structuredClone(this.values.get(key)) as T | undefined;
	}
	async set(key: string, value: unknown): Promise<void> {
		this.values.set(key, structuredClone(value));
	}
	async delete(key: string): Promise<void> {
		this.values.delete(key);
	}
	async entries<T>(prefix: string): Promise<[string, T][]> {
		return [...this.values].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k, structuredClone(v) as T]);
	}
}

class MemoryMedia implements MediaStore {
	readonly records = new Map<string, MediaRecord>();
	async all(): Promise<MediaRecord[]> {
		// Blobs are immutable: a shallow copy per file keeps stored records apart from the caller's
		return [...this.records.values()].sort((a, b) => a.createdAt - b.createdAt).map(copyRecord);
	}
	async put(record: MediaRecord): Promise<void> {
		this.records.set(record.id, copyRecord(record));
	}
	async delete(id: string): Promise<void> {
		this.records.delete(id);
	}
}

const copyRecord = (r: MediaRecord): MediaRecord => ({ ...r, files: r.files.map((f) => ({ ...f })) });

class MemorySyncKv implements SyncKeyValueStore {
	readonly values = new Map<string, unknown>();
	get<T>(key: string): T | undefined {
		return structuredClone(this.values.get(key)) as T | undefined;
	}
	set(key: string, value: unknown): void {
		this.values.set(key, structuredClone(value));
	}
	delete(key: string): void {
		this.values.delete(key);
	}
	entries<T>(prefix: string): [string, T][] {
		return [...this.values].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k, structuredClone(v) as T]);
	}
}

class MemoryUser implements UserStorage {
	readonly outbox = new MemoryOutbox();
	readonly kv = new MemoryKv();
	readonly media = new MemoryMedia();
	readonly journal = new MemorySyncKv();
	/** Stored document updates per name, in order (like y-indexeddb's update log). */
	readonly docs = new Map<string, Uint8Array[]>();
	constructor(readonly userId: string) {}

	bindDoc(docName: string, doc: Y.Doc): LocalDoc {
		const log = this.docs.get(docName) ?? [];
		this.docs.set(docName, log);
		let destroyed = false;
		const onUpdate = (update: Uint8Array, origin: unknown) => {
			if (!destroyed && origin !== 'local-storage') this.docs.get(docName)?.push(update);
		};
		const loaded = Promise.resolve().then(() => {
			if (destroyed) return;
			Y.transact(doc, () => log.forEach((u) => Y.applyUpdate(doc, u)), 'local-storage', false);
			log.splice(0, log.length, Y.encodeStateAsUpdate(doc));
			doc.on('update', onUpdate);
		});
		return {
			loaded,
			destroy: async () => {
				destroyed = true;
				doc.off('update', onUpdate);
			}
		};
	}

	async clearDoc(docName: string): Promise<void> {
		this.docs.delete(docName);
	}

	/** Test hook: drops the last `count` stored updates of `docName` (a tab closed before they were committed). */
	loseRecentDocUpdates(docName: string, count: number): void {
		this.docs.get(docName)?.splice(-count, count);
	}

	close(): void {}
}

/** Device storage in memory; share one instance between "page loads". */
export class MemoryDeviceStorage implements DeviceStorage {
	readonly users = new Map<string, MemoryUser>();
	#lastUser: unknown;
	#listeners = new Set<(userId: string) => void>();

	user(userId: string): MemoryUser {
		let user = this.users.get(userId);
		if (!user) this.users.set(userId, (user = new MemoryUser(userId)));
		return user;
	}
	async lastUser<T>(): Promise<T | undefined> {
		return structuredClone(this.#lastUser) as T | undefined;
	}
	async setLastUser(value: unknown): Promise<void> {
		this.#lastUser = structuredClone(value);
	}
	async wipe(userId: string): Promise<void> {
		for (const listener of this.#listeners) listener(userId);
		this.users.delete(userId);
		if ((this.#lastUser as { id?: string } | undefined)?.id === userId) this.#lastUser = undefined;
	}
	onWiped(listener: (userId: string) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}
}
