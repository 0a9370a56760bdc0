/**
 * DocIndex: message id → author for one loaded conversation document, so that checkUpdate
 * answers "who wrote message X?" in O(1) instead of scanning `messages` on every update.
 */
import * as Y from 'yjs';
import { CONVERSATION_ROOTS } from './schema.js';
import { isValidId } from './schema.js';
import { isPlainObject } from './validate.js';

/** A message that is gone from the document (deleted, its content garbage-collected) but whose id stays taken. */
export interface Tombstone {
	id: string;
	author: string;
}

/** Options of DocIndex. */
export interface DocIndexOptions {
	/**
	 * Deleted messages whose content the document no longer holds (Yjs drops a deleted envelope's
	 * content), e.g. from the relational projection. Without them, after a reload, an honest
	 * client's concurrent edit/pin/read of a just-deleted message would be refused (R16, R18, R19)
	 * and a deleted id could be reused (R13).
	 */
	tombstones?: Iterable<Tombstone>;
	/** keep the index current by listening to the document's transactions (default true) */
	follow?: boolean;
}

/** Reads `{id, author}` from an envelope-like value, or null. */
function idAndAuthor(value: unknown): Tombstone | null {
	if (!isPlainObject(value)) return null;
	const { id, author } = value;
	return isValidId(id) && typeof author === 'string' ? { id, author } : null;
}

/**
 * Every message id the document has ever held, with its author (deleted ones included, as long
 * as their content was still there or they were given as tombstones). The relay keeps one per
 * loaded document and passes it to checkUpdate; it follows the document by itself.
 */
export class DocIndex {
	readonly #authors = new Map<string, string>();
	readonly #doc: Y.Doc;
	#listener: ((tr: Y.Transaction) => void) | null = null;

	/** Indexes `doc` now (one pass over `messages`) and, unless `follow: false`, keeps following it. */
	constructor(doc: Y.Doc, options: DocIndexOptions = {}) {
		this.#doc = doc;
		for (const t of options.tombstones ?? []) this.note(t.id, t.author);
		const messages = doc.share.get(CONVERSATION_ROOTS.messages);
		// walk the item list rather than toArray(): deleted items whose content survives (gc off) count too
		for (let item = messages?._start ?? null; item !== null; item = item.right) this.#noteItem(item);
		if (options.follow !== false) {
			this.#listener = (tr) => this.#afterTransaction(tr);
			doc.on('afterTransaction', this.#listener);
		}
	}

	/** The author of message `id`, or undefined if the document never held it. */
	author(id: string): string | undefined {
		return this.#authors.get(id);
	}

	/** Whether the document ever held message `id`. */
	has(id: string): boolean {
		return this.#authors.has(id);
	}

	/** Number of message ids known. */
	get size(): number {
		return this.#authors.size;
	}

	/** Records a message id (the first author recorded for an id stays). */
	note(id: string, author: string): void {
		if (!this.#authors.has(id)) this.#authors.set(id, author);
	}

	/** Stops following the document. */
	destroy(): void {
		if (this.#listener !== null) this.#doc.off('afterTransaction', this.#listener);
		this.#listener = null;
	}

	#noteItem(item: Y.Item): void {
		if (!(item.content instanceof Y.ContentAny)) return;
		for (const value of item.content.arr) {
			const entry = idAndAuthor(value);
			if (entry !== null) this.note(entry.id, entry.author);
		}
	}

	// afterTransaction runs before Yjs garbage-collects deleted content, so an envelope added and
	// deleted by the same update is still readable here: its id is remembered as taken.
	#afterTransaction(tr: Y.Transaction): void {
		const messages = this.#doc.share.get(CONVERSATION_ROOTS.messages);
		if (messages === undefined) return;
		for (const [client, after] of tr.afterState) {
			const before = tr.beforeState.get(client) ?? 0;
			if (after <= before) continue;
			const structs = this.#doc.store.clients.get(client);
			if (structs === undefined) continue;
			for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
				const s = structs[i];
				if (s instanceof Y.Item && s.parent === messages) this.#noteItem(s);
			}
		}
	}
}
