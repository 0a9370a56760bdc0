/**
 * The user's drafts: one `{text, at}` per conversation in the private drafts document (R26;
 * last writer wins, docs/document-schema.md), plus a local copy of each in an awaited key-value
 * store, because the document's y-indexeddb copy may lose the last writes on a reload. Typing
 * updates memory at once; the document and the local copy are written after a short pause (one
 * update per pause, not per keystroke) and on `flush()` (page hide).
 */
import type * as Y from 'yjs';
import { ObservableV2 } from 'lib0/observable';
import { draftEntries, isValidId, type DraftValue } from '../../sync/schema.js';
import { draftValueProblem } from '../../sync/validate.js';
import type { KeyValueStore } from '../storage/types.js';

/** Draft limits, named. */
export const DRAFT_LIMITS = {
	/** pause in typing before a draft is written: one document update per pause, not per key */
	saveDelayMs: 400
} as const;

const KV_PREFIX = 'draft.';

export class Drafts extends ObservableV2<{ change: () => void }> {
	/** Typed but not yet written. */
	#unsaved = new Map<string, DraftValue>();
	/** Drafts the relay would refuse, kept on this device only. */
	#localOnly = new Map<string, DraftValue>();
	#timer: ReturnType<typeof setTimeout> | null = null;
	#doc: Y.Doc;
	#saving: Promise<void> = Promise.resolve();

	constructor(
		doc: Y.Doc,
		private readonly kv: KeyValueStore,
		private readonly now: () => number = Date.now
	) {
		super();
		this.#doc = doc;
		draftEntries(doc).observe(() => this.emit('change', []));
	}

	/** Applies local copies newer than the document's (a reload that lost the document's last writes). Call once the local document has loaded. */
	async restore(): Promise<void> {
		const map = draftEntries(this.#doc);
		const local = await this.kv.entries<DraftValue>(KV_PREFIX);
		this.#doc.transact(() => {
			for (const [key, value] of local) {
				const id = key.slice(KV_PREFIX.length);
				const current = map.get(id);
				if (current && current.at >= value.at) continue;
				if (!shareable(id, value)) this.#localOnly.set(id, value);
				else if (value.text === '') map.delete(id);
				else map.set(id, value);
			}
		});
	}

	/** The draft of `conversationId` ('' when none). */
	get(conversationId: string): string {
		return (this.#unsaved.get(conversationId) ?? this.#localOnly.get(conversationId) ?? draftEntries(this.#doc).get(conversationId))?.text ?? '';
	}

	/** Conversation ids with a non-empty draft. */
	ids(): string[] {
		const ids = new Set([...draftEntries(this.#doc).keys(), ...this.#unsaved.keys(), ...this.#localOnly.keys()]);
		return [...ids].filter((id) => this.get(id) !== '');
	}

	/** Replaces a draft ('' removes it); written after a pause in typing. */
	set(conversationId: string, text: string): void {
		if (text === this.get(conversationId)) return;
		this.#unsaved.set(conversationId, { text, at: this.now() });
		this.emit('change', []);
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.flush(), DRAFT_LIMITS.saveDelayMs);
	}

	/** Writes what was typed to the document and, awaited, to the local copy. */
	flush(): Promise<void> {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		const batch = [...this.#unsaved];
		this.#unsaved.clear();
		if (batch.length === 0) return this.#saving;
		const map = draftEntries(this.#doc);
		this.#doc.transact(() => {
			for (const [id, value] of batch) {
				// what the relay would refuse (R26: over 16 KiB, a bad id) would wedge this device's
				// client id for the drafts document: such a draft stays on this device only
				if (!shareable(id, value)) {
					this.#localOnly.set(id, value);
					continue;
				}
				this.#localOnly.delete(id);
				if (value.text === '') {
					if (map.has(id)) map.delete(id);
				} else map.set(id, value);
			}
		});
		// in order: a later flush never lands before an earlier one
		this.#saving = this.#saving.then(() => Promise.all(batch.map(([id, value]) => this.kv.set(KV_PREFIX + id, value))).then(() => undefined));
		return this.#saving;
	}

	/** A recovery or reload gave us a new document. */
	rebind(doc: Y.Doc): void {
		this.#doc = doc;
		draftEntries(doc).observe(() => this.emit('change', []));
		this.emit('change', []);
	}

	destroy(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		super.destroy();
	}
}

/** Whether the relay accepts this draft (R26); an empty text is a removal. */
function shareable(id: string, value: DraftValue): boolean {
	return isValidId(id) && (value.text === '' || draftValueProblem(value) === null);
}
