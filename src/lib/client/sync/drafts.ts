/**
 * The user's drafts: one `{text, at}` per conversation in the private drafts document (R26;
 * last writer wins, docs/document-schema.md), plus a local copy of each in an awaited key-value
 * store, because the document's y-indexeddb copy may lose the last writes on a reload. Typing
 * updates memory and a synchronous journal (localStorage) at once; the document and the local
 * copy are written after a short pause (one update per pause, not per keystroke) and on `flush()`
 * (page hide). The journal is what survives a reload within milliseconds of a keystroke: an
 * IndexedDB transaction started on page hide may never commit. `restore()` merges all three,
 * the newest `at` winning.
 */
import type * as Y from 'yjs';
import { ObservableV2 } from 'lib0/observable';
import { draftEntries, isValidId, type DraftValue } from '../../sync/schema.js';
import { draftValueProblem } from '../../sync/validate.js';
import type { KeyValueStore, SyncKeyValueStore } from '../storage/types.js';

/** Draft limits, named. */
export const DRAFT_LIMITS = {
	/** pause in typing before a draft is written: one document update per pause, not per key */
	saveDelayMs: 400,
	/**
	 * longest draft (UTF-16 units) journalled synchronously on each keystroke: localStorage holds
	 * ~5 MB per origin and each write re-serialises the whole draft; longer drafts rely on the
	 * pause-save alone (64 Ki is four times what the relay accepts, R26)
	 */
	journalMaxChars: 64 * 1024
} as const;

const KV_PREFIX = 'draft.';
const JOURNAL_PREFIX = 'draft.';

/** Where drafts are kept on this device: an awaited store and a synchronous journal. */
export interface DraftStores {
	readonly kv: KeyValueStore;
	readonly journal: SyncKeyValueStore;
}

export class Drafts extends ObservableV2<{ change: () => void }> {
	/** Typed but not yet written. */
	#unsaved = new Map<string, DraftValue>();
	/** Drafts the relay would refuse, kept on this device only. */
	#localOnly = new Map<string, DraftValue>();
	#timer: ReturnType<typeof setTimeout> | null = null;
	#doc: Y.Doc;
	#saving: Promise<void> = Promise.resolve();

	private readonly kv: KeyValueStore;
	private readonly journal: SyncKeyValueStore;

	constructor(
		doc: Y.Doc,
		stores: DraftStores,
		private readonly now: () => number = Date.now
	) {
		super();
		this.kv = stores.kv;
		this.journal = stores.journal;
		this.#doc = doc;
		draftEntries(doc).observe(() => this.emit('change', []));
	}

	/** Applies local copies newer than the document's (a reload that lost the document's last writes). Call once the local document has loaded. */
	async restore(): Promise<void> {
		const map = draftEntries(this.#doc);
		const local = new Map<string, DraftValue>();
		for (const [key, value] of await this.kv.entries<DraftValue>(KV_PREFIX)) local.set(key.slice(KV_PREFIX.length), value);
		// journal entries newer than the awaited copy were typed just before the page went: they
		// go through a normal save (document + awaited copy), which then drops them from the journal
		for (const [key, value] of this.journal.entries<DraftValue>(JOURNAL_PREFIX)) {
			const id = key.slice(JOURNAL_PREFIX.length);
			if (!isDraftValue(value)) continue;
			const known = local.get(id);
			const current = map.get(id);
			if ((known && known.at >= value.at) || (current && current.at >= value.at)) this.#forgetJournal(id, value.at);
			else this.#unsaved.set(id, value);
		}
		this.#doc.transact(() => {
			for (const [id, value] of local) {
				if (this.#unsaved.has(id)) continue;
				const current = map.get(id);
				if (current && current.at >= value.at) continue;
				if (!shareable(id, value)) this.#localOnly.set(id, value);
				else if (value.text === '') map.delete(id);
				else map.set(id, value);
			}
		});
		if (this.#unsaved.size > 0) await this.flush();
	}

	/** The draft of `conversationId` ('' when none). */
	get(conversationId: string): string {
		return (
			(this.#unsaved.get(conversationId) ?? this.#localOnly.get(conversationId) ?? draftEntries(this.#doc).get(conversationId))?.text ?? ''
		);
	}

	/** Conversation ids with a non-empty draft. */
	ids(): string[] {
		const ids = new Set([...draftEntries(this.#doc).keys(), ...this.#unsaved.keys(), ...this.#localOnly.keys()]);
		return [...ids].filter((id) => this.get(id) !== '');
	}

	/** Replaces a draft ('' removes it); written after a pause in typing. */
	set(conversationId: string, text: string): void {
		if (text === this.get(conversationId)) return;
		const value = { text, at: this.now() };
		this.#unsaved.set(conversationId, value);
		this.#journal(conversationId, value);
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
		this.#saving = this.#saving.then(() =>
			Promise.all(batch.map(([id, value]) => this.kv.set(KV_PREFIX + id, value).then(() => this.#forgetJournal(id, value.at)))).then(
				() => undefined
			)
		);
		return this.#saving;
	}

	/** Records a keystroke synchronously (best effort: a full or disabled localStorage only loses the crash copy). */
	#journal(id: string, value: DraftValue): void {
		try {
			if (value.text.length > DRAFT_LIMITS.journalMaxChars) this.journal.delete(JOURNAL_PREFIX + id);
			else this.journal.set(JOURNAL_PREFIX + id, value);
		} catch {
			// quota or storage disabled: the pause-save still runs
		}
	}

	/** Drops the journal entry of `id` once a save at least as new as `at` is durable. */
	#forgetJournal(id: string, at: number): void {
		try {
			const entry = this.journal.get<DraftValue>(JOURNAL_PREFIX + id);
			if (entry && (!isDraftValue(entry) || entry.at <= at)) this.journal.delete(JOURNAL_PREFIX + id);
		} catch {
			// storage disabled: nothing to drop
		}
	}

	destroy(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		super.destroy();
	}
}

/** A journal entry has the shape we wrote (localStorage is shared with anything on the origin). */
function isDraftValue(value: unknown): value is DraftValue {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as DraftValue).text === 'string' &&
		typeof (value as DraftValue).at === 'number'
	);
}

/** Whether the relay accepts this draft (R26); an empty text is a removal. */
function shareable(id: string, value: DraftValue): boolean {
	return isValidId(id) && (value.text === '' || draftValueProblem(value) === null);
}
