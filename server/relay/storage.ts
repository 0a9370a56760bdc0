/**
 * Where the relay keeps documents: a small interface with a memory and a SQL implementation,
 * both held to one contract suite (test/integration/relay/storage.contract.test.ts).
 */

/** One accepted update to append, with the client-id bindings it introduced. */
export interface AppendItem {
	docName: string;
	update: Uint8Array;
	/** Yjs client ids first used in this update, and the user who used them. */
	bindings: ReadonlyArray<readonly [clientId: number, userId: string]>;
}

/** A document as stored: its updates (snapshot first) and its client-id bindings. */
export interface StoredDoc {
	updates: Uint8Array[];
	clients: Map<number, string>;
	/** Log rows not yet compacted. */
	logLength: number;
}

/**
 * One data-modifying SQL statement (INSERT/UPDATE/DELETE with `$n` parameters) that must commit
 * atomically with an append: the relay's projection hook. Storage without SQL ignores it.
 */
export interface SqlStep {
	sql: string;
	params: unknown[];
}

/** The relay's storage. */
export interface DocStorage {
	/** Reads a document (empty when it never existed). */
	load(docName: string): Promise<StoredDoc>;
	/** Appends a batch of updates, of any documents, atomically, together with the `extra` statements. */
	append(items: readonly AppendItem[], extra?: readonly SqlStep[]): Promise<void>;
	/**
	 * Replaces the log rows it reads by one snapshot (made by `merge`), under a per-document lock;
	 * rows appended meanwhile, by this process or another, stay. Returns the rows it replaced.
	 */
	compact(docName: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<number>;
	/** Removes a document and its bindings. */
	delete(docName: string): Promise<void>;
}

/** Keeps everything in memory (tests, benchmarks, and the reference point of the contract suite). */
export class MemoryStorage implements DocStorage {
	readonly #docs = new Map<string, { snapshot: Uint8Array | null; log: Uint8Array[]; clients: Map<number, string> }>();

	#doc(name: string) {
		let doc = this.#docs.get(name);
		if (!doc) this.#docs.set(name, (doc = { snapshot: null, log: [], clients: new Map() }));
		return doc;
	}

	async load(docName: string): Promise<StoredDoc> {
		const doc = this.#docs.get(docName);
		if (!doc) return { updates: [], clients: new Map(), logLength: 0 };
		return {
			updates: [...(doc.snapshot ? [doc.snapshot] : []), ...doc.log],
			clients: new Map(doc.clients),
			logLength: doc.log.length
		};
	}

	async append(items: readonly AppendItem[]): Promise<void> {
		for (const item of items) {
			const doc = this.#doc(item.docName);
			doc.log.push(item.update);
			for (const [clientId, userId] of item.bindings) if (!doc.clients.has(clientId)) doc.clients.set(clientId, userId);
		}
	}

	async compact(docName: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<number> {
		const doc = this.#docs.get(docName);
		if (!doc || doc.log.length === 0) return 0;
		const read = doc.log.length;
		doc.snapshot = merge([...(doc.snapshot ? [doc.snapshot] : []), ...doc.log]);
		doc.log.splice(0, read);
		return read;
	}

	async delete(docName: string): Promise<void> {
		this.#docs.delete(docName);
	}
}
