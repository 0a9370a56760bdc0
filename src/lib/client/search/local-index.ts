/**
 * The on-device message index (docs/search.md, "On the device"): MiniSearch over the cached
 * messages, kept up to date change by change (insert, edit, delete) and saved as one snapshot, so
 * opening the app loads it instead of indexing again. Pure: no IndexedDB, no worker, no clock of
 * its own (the host passes `now`), so Node tests drive it directly.
 *
 * Each message is indexed under its stems and its folded words (normalize.ts), exactly the
 * lexemes the server's search vector holds; a query is built from the same parsed words
 * ($lib/search/query.ts): every whole word's stem must match, and the word being typed matches by
 * its stem or as the prefix of a folded word. Scores are MiniSearch's BM25 divided by age, as the
 * server divides ts_rank: `score / (1 + age / 30 days)`.
 */
import MiniSearch, { type AsPlainObject, type Query } from 'minisearch';
import { parseQuery } from '$lib/search/query';
import { matchedWords, snippetOf, type Snippet } from '$lib/search/snippet';
import { highlightRanges, isEmptyTerms, termsOf } from './highlight.js';
import { textLexemes } from './normalize.js';
import { LOCAL_SEARCH_LIMITS, type LocalSearchLimits } from './limits.js';

/** A message as the index takes it (its current text: the last edit, if any). */
export interface IndexMessage {
	id: string;
	authorId: string;
	/** ms since the epoch (the envelope's `createdAt`) */
	createdAt: number;
	text: string;
	/** ms since the epoch of the edit the text comes from; absent when never edited */
	editedAt?: number;
	/** `system` messages and empty texts are not indexed */
	kind?: string;
}

/** One change to the index. */
export type IndexChange =
	{ type: 'upsert'; conversationId: string; message: IndexMessage } | { type: 'delete'; conversationId: string; messageId: string };

/** Filters of a query (as `GET /api/search` takes them). */
export interface LocalFilters {
	conversationId?: string;
	authorId?: string;
	/** ms since the epoch: created at or after */
	after?: number;
	/** ms since the epoch: created before */
	before?: number;
}

/** One on-device result, shaped like the server's (`MessageHit`) where they overlap. */
export interface LocalHit {
	conversationId: string;
	messageId: string;
	authorId: string;
	createdAt: number;
	score: number;
	snippet: Snippet;
	highlights: string[];
}

/** What `syncConversation` changed. */
export interface SyncCounts {
	added: number;
	updated: number;
	removed: number;
	unchanged: number;
}

/** Per message: conversation, author, time, version (edit time or creation), the start of its text. */
interface Meta {
	c: string;
	m: string;
	a: string;
	t: number;
	v: number;
	x: string;
}

/** Format of a saved snapshot; another format is dropped on load (the index refills from the documents). */
const FORMAT = 1;
/** Age at which a match counts half, as on the server. */
const RECENCY_SCALE_MS = 30 * 24 * 3600 * 1000;
/** Share of the messages dropped at once when over a bound (so a bound costs one sort per twentieth). */
const EVICT_SHARE = 0.05;

const keyOf = (conversationId: string, messageId: string) => `${conversationId}/${messageId}`;

/** The terms one message is indexed under: each word's stem and folded form. */
function termsOfText(text: string): string[] {
	return textLexemes(text).flatMap((l) => (l.word === l.stem ? [l.stem] : [l.stem, l.word]));
}

/** MiniSearch options: documents arrive as term lists already (`termsOfText`); queries as terms too. */
function options(): ConstructorParameters<typeof MiniSearch<{ id: string; terms: string[] }>>[0] {
	return {
		fields: ['terms'],
		storeFields: [],
		extractField: (document, field) => (field === 'id' ? document.id : document.terms.join('\u0000')),
		tokenize: (text) => (text === '' ? [] : text.split('\u0000')),
		processTerm: (term) => term,
		searchOptions: { tokenize: (text) => [text], processTerm: (term) => term },
		autoVacuum: { batchSize: 5000, batchWait: 0, minDirtCount: 1000, minDirtFactor: 0.1 }
	};
}

/** The index of one user's cached messages. */
export class LocalSearchIndex {
	#search: MiniSearch<{ id: string; terms: string[] }>;
	readonly #meta: Map<string, Meta>;
	/** conversation id → keys of its indexed messages */
	readonly #byConversation = new Map<string, Set<string>>();
	#changed = false;

	private constructor(
		readonly limits: LocalSearchLimits,
		search: MiniSearch<{ id: string; terms: string[] }>,
		meta: Map<string, Meta>
	) {
		this.#search = search;
		this.#meta = meta;
		for (const [key, m] of meta) this.#conversation(m.c).add(key);
	}

	/** An empty index. */
	static create(limits: LocalSearchLimits = { ...LOCAL_SEARCH_LIMITS }): LocalSearchIndex {
		return new LocalSearchIndex(limits, new MiniSearch(options()), new Map());
	}

	/** An index from a saved snapshot, or null when the snapshot is unreadable or of another format. */
	static load(snapshot: string, limits: LocalSearchLimits = { ...LOCAL_SEARCH_LIMITS }): LocalSearchIndex | null {
		try {
			const data = JSON.parse(snapshot) as { format: number; index: AsPlainObject; meta: Array<[string, ...Meta[keyof Meta][]]> };
			if (data.format !== FORMAT) return null;
			const meta = new Map<string, Meta>();
			for (const [key, c, m, a, t, v, x] of data.meta as Array<[string, string, string, string, number, number, string]>)
				meta.set(key, { c, m, a, t, v, x });
			const search = MiniSearch.loadJS<{ id: string; terms: string[] }>(data.index, options());
			if (search.documentCount !== meta.size) return null;
			return new LocalSearchIndex(limits, search, meta);
		} catch {
			return null;
		}
	}

	/** Messages indexed. */
	get size(): number {
		return this.#meta.size;
	}

	/** True when something changed since the last `serialize` (the host saves only then). */
	get changed(): boolean {
		return this.#changed;
	}

	/** Applies changes in order; returns how many changed the index. */
	apply(changes: readonly IndexChange[]): number {
		if (changes.length > this.limits.maxChangesPerCall)
			throw new RangeError(`at most ${this.limits.maxChangesPerCall} changes per call (got ${changes.length})`);
		let applied = 0;
		for (const change of changes)
			if (
				change.type === 'upsert'
					? this.#upsert(change.conversationId, change.message)
					: this.#remove(keyOf(change.conversationId, change.messageId))
			)
				applied++;
		this.#bound();
		return applied;
	}

	/**
	 * Brings one conversation in line with its messages as the device has them now (after its
	 * document loaded): new messages are added, changed ones (a newer version) replaced, missing ones
	 * removed; the rest is not touched, so opening a conversation costs one pass over its ids.
	 */
	syncConversation(conversationId: string, messages: readonly IndexMessage[]): SyncCounts {
		const counts: SyncCounts = { added: 0, updated: 0, removed: 0, unchanged: 0 };
		const present = new Set<string>();
		for (const message of messages) {
			const key = keyOf(conversationId, message.id);
			present.add(key);
			const before = this.#meta.get(key);
			if (before && before.v === versionOf(message)) {
				counts.unchanged++;
				continue;
			}
			if (this.#upsert(conversationId, message)) counts[before ? 'updated' : 'added']++;
		}
		for (const key of [...(this.#byConversation.get(conversationId) ?? [])]) if (!present.has(key) && this.#remove(key)) counts.removed++;
		this.#bound();
		return counts;
	}

	/** Drops every message of a conversation (the user left it, or it was deleted). */
	forgetConversation(conversationId: string): number {
		let removed = 0;
		for (const key of [...(this.#byConversation.get(conversationId) ?? [])]) if (this.#remove(key)) removed++;
		return removed;
	}

	/** The best matches of a search box's text, best first (empty for a query with no words). */
	query(q: string, filters: LocalFilters = {}, now: number = Date.now()): LocalHit[] {
		const parsed = parseQuery(q);
		if (!parsed.ok) return [];
		const terms = termsOf(parsed.query);
		if (isEmptyTerms(terms)) return [];
		const parts: Query[] = terms.stems.map((stem) => ({ queries: [stem], prefix: false }));
		if (terms.prefix)
			parts.push({
				combineWith: 'OR',
				queries: [
					{ queries: [terms.prefix.stem], prefix: false },
					{ queries: [terms.prefix.word], prefix: true }
				]
			});
		const results = this.#search.search(
			{ combineWith: 'AND', queries: parts },
			{
				filter: (result) => passes(this.#meta.get(result.id as string), filters),
				boostDocument: (id) => {
					const meta = this.#meta.get(id as string);
					return meta ? 1 / (1 + Math.max(0, now - meta.t) / RECENCY_SCALE_MS) : 0;
				}
			}
		);
		return results
			.map((result) => ({ result, meta: this.#meta.get(result.id as string)! }))
			.sort((x, y) => y.result.score - x.result.score || y.meta.t - x.meta.t)
			.slice(0, this.limits.maxResults)
			.map(({ result, meta }) => {
				const ranges = highlightRanges(meta.x, terms);
				return {
					conversationId: meta.c,
					messageId: meta.m,
					authorId: meta.a,
					createdAt: meta.t,
					score: result.score,
					snippet: snippetOf(meta.x, ranges),
					highlights: matchedWords(meta.x, ranges)
				};
			});
	}

	/**
	 * The snapshot to save (JSON). Past `maxSnapshotChars` the oldest messages are dropped first,
	 * a tenth at a time. Discarded documents are vacuumed out before (their terms would be saved too).
	 */
	async serialize(): Promise<string> {
		for (;;) {
			if (this.#search.dirtCount > 0) await this.#search.vacuum({ batchSize: 5000, batchWait: 0 });
			const meta = [...this.#meta].map(([key, m]) => [key, m.c, m.m, m.a, m.t, m.v, m.x]);
			const snapshot = JSON.stringify({ format: FORMAT, index: this.#search.toJSON(), meta });
			if (snapshot.length <= this.limits.maxSnapshotChars || this.#meta.size === 0) {
				this.#changed = false;
				return snapshot;
			}
			this.#evictOldest(Math.max(1, Math.ceil(this.#meta.size / 10)));
		}
	}

	#conversation(conversationId: string): Set<string> {
		let keys = this.#byConversation.get(conversationId);
		if (!keys) this.#byConversation.set(conversationId, (keys = new Set()));
		return keys;
	}

	/** Adds or replaces one message; a system message or an empty text removes it. */
	#upsert(conversationId: string, message: IndexMessage): boolean {
		const key = keyOf(conversationId, message.id);
		if (message.kind === 'system' || message.text.trim() === '') return this.#remove(key);
		const before = this.#meta.get(key);
		if (before && before.v === versionOf(message)) return false;
		if (before) this.#search.discard(key);
		this.#search.add({ id: key, terms: termsOfText(message.text.slice(0, this.limits.maxIndexedChars)) });
		this.#meta.set(key, {
			c: conversationId,
			m: message.id,
			a: message.authorId,
			t: message.createdAt,
			v: versionOf(message),
			x: message.text.slice(0, this.limits.maxStoredChars)
		});
		this.#conversation(conversationId).add(key);
		this.#changed = true;
		return true;
	}

	#remove(key: string): boolean {
		const meta = this.#meta.get(key);
		if (!meta) return false;
		this.#search.discard(key);
		this.#meta.delete(key);
		const keys = this.#byConversation.get(meta.c);
		keys?.delete(key);
		if (keys?.size === 0) this.#byConversation.delete(meta.c);
		this.#changed = true;
		return true;
	}

	/** Keeps at most `maxMessages`: over it, the oldest twentieth goes. */
	#bound(): void {
		if (this.#meta.size <= this.limits.maxMessages) return;
		const over = this.#meta.size - this.limits.maxMessages;
		this.#evictOldest(Math.max(over, Math.ceil(this.limits.maxMessages * EVICT_SHARE)));
	}

	#evictOldest(count: number): void {
		const oldest = [...this.#meta].sort((x, y) => x[1].t - y[1].t).slice(0, count);
		for (const [key] of oldest) this.#remove(key);
	}
}

/** A message's version: its edit time, or its creation time when never edited. */
function versionOf(message: IndexMessage): number {
	return message.editedAt ?? message.createdAt;
}

function passes(meta: Meta | undefined, filters: LocalFilters): boolean {
	if (!meta) return false;
	if (filters.conversationId !== undefined && meta.c !== filters.conversationId) return false;
	if (filters.authorId !== undefined && meta.a !== filters.authorId) return false;
	if (filters.after !== undefined && meta.t < filters.after) return false;
	if (filters.before !== undefined && meta.t >= filters.before) return false;
	return true;
}
