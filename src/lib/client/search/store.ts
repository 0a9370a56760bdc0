/**
 * Where the on-device index is saved: one snapshot (a JSON string) in the user's own IndexedDB
 * database `parley.<userId>.search`. The name starts with the user's prefix, so the sign-out wipe
 * (storage/indexeddb.ts, `wipe`) deletes it with the rest; the connection closes itself when a
 * wipe asks (`versionchange`), so the deletion is never blocked by the worker holding it.
 */

/** The saved snapshot of one user's index. */
export interface SnapshotStore {
	/** The saved snapshot, or undefined when there is none. */
	load(): Promise<string | undefined>;
	/** Replaces the snapshot; resolves once the write is durable (the transaction completed). */
	save(snapshot: string): Promise<void>;
	/** Deletes the snapshot. */
	clear(): Promise<void>;
	close(): void;
}

/** The IndexedDB database of a user's search index. */
export const searchDbName = (userId: string) => `parley.${userId}.search`;

const STORE = 'index';
const KEY = 'snapshot';

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

function completed(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = () => reject(tx.error);
		tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
	});
}

/** The snapshot in IndexedDB (the worker's own `indexedDB`). */
export function indexedDbSnapshotStore(userId: string, factory: IDBFactory = indexedDB): SnapshotStore {
	let db: Promise<IDBDatabase> | null = null;
	const open = () =>
		(db ??= new Promise<IDBDatabase>((resolve, reject) => {
			const req = factory.open(searchDbName(userId), 1);
			req.onupgradeneeded = () => req.result.createObjectStore(STORE);
			req.onsuccess = () => {
				// A wipe deletes this database: let go at once instead of blocking it.
				req.result.onversionchange = () => {
					req.result.close();
					db = null;
				};
				resolve(req.result);
			};
			req.onerror = () => reject(req.error);
		}));
	const write = async (fn: (store: IDBObjectStore) => void) => {
		const tx = (await open()).transaction(STORE, 'readwrite');
		fn(tx.objectStore(STORE));
		await completed(tx);
	};
	return {
		load: async () => request<string | undefined>((await open()).transaction(STORE, 'readonly').objectStore(STORE).get(KEY)),
		save: (snapshot) => write((store) => store.put(snapshot, KEY)),
		clear: () => write((store) => store.delete(KEY)),
		close() {
			void db?.then((d) => d.close());
			db = null;
		}
	};
}

/** The snapshot in memory (tests, and browsers without IndexedDB). */
export function memorySnapshotStore(): SnapshotStore & { saves: number } {
	let value: string | undefined;
	return {
		saves: 0,
		load: async () => value,
		async save(snapshot) {
			value = snapshot;
			this.saves++;
		},
		clear: async () => {
			value = undefined;
		},
		close() {}
	};
}
