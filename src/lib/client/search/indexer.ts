/**
 * Keeps the on-device index in step with the conversation documents the session holds (docs/search.md,
 * "Wiring"): when a document has loaded from the device, `sync` brings its conversation in line
 * (adds what is new, replaces what changed, touches nothing else: never a rebuild), then every
 * append, edit and deletion, local or remote, goes to the worker as it happens (`apply`). Calls
 * reach the worker in order; the changes of one task are sent together. No Svelte: Node tests
 * drive it over a MessageChannel to a real host.
 */
import type * as Y from 'yjs';
import type { SearchClient } from './client.js';
import { messagesOf, watchMessages } from './feed.js';
import type { IndexChange, LocalFilters, LocalHit } from './local-index.js';
import { LOCAL_SEARCH_LIMITS } from './limits.js';

/** What the session tells the index about its documents (one per signed-in user). */
export interface DocIndexer {
	/** A conversation's document has loaded from the device: index it and follow its changes; returns "stop following". */
	attach(conversationId: string, doc: Y.Doc): () => void;
	/** I left the conversation (or it was deleted): its messages leave the index. */
	forget(conversationId: string): void;
	/** Saves and closes the index (sign-out, before the wipe; or the page closing). */
	close(): Promise<void>;
}

export interface SearchIndexerOptions {
	userId: string;
	/** The worker's client, made on first need (the page imports client.ts lazily). */
	connect: () => Promise<SearchClient>;
	/** Told about failures (the index is a cache: search goes on with what it has). */
	onError?: (error: unknown) => void;
}

/** The session's DocIndexer, and the page's way to query the device. */
export class SearchIndexer implements DocIndexer {
	readonly #options: SearchIndexerOptions;
	#client: Promise<SearchClient> | null = null;
	/** every call to the worker, in order (the worker runs them one at a time anyway) */
	#queue: Promise<unknown> = Promise.resolve();
	#pending: IndexChange[] = [];
	#flushScheduled = false;
	#closed = false;

	constructor(options: SearchIndexerOptions) {
		this.#options = options;
	}

	/** The worker, opened for this user on first use. */
	#ready(): Promise<SearchClient> {
		return (this.#client ??= this.#options.connect().then(async (client) => {
			await client.open({ userId: this.#options.userId });
			return client;
		}));
	}

	/** Runs `work` after everything asked before it; a failure is reported, never thrown at the document. */
	#enqueue<T>(work: (client: SearchClient) => Promise<T>): Promise<T | undefined> {
		const run = this.#queue.then(async () => (this.#closed ? undefined : work(await this.#ready())));
		const settled = run.catch((error: unknown) => {
			this.#options.onError?.(error);
			return undefined;
		});
		this.#queue = settled;
		return settled;
	}

	attach(conversationId: string, doc: Y.Doc): () => void {
		if (this.#closed) return () => {};
		this.#sendPending();
		const messages = messagesOf(doc);
		void this.#enqueue((client) => client.sync({ conversationId, messages }));
		return watchMessages(doc, conversationId, (changes) => this.#push(changes));
	}

	/** Changes of one task go together (a burst of a thousand appends is one call, split at the worker's bound). */
	#push(changes: IndexChange[]): void {
		if (this.#closed) return;
		this.#pending.push(...changes);
		if (this.#flushScheduled) return;
		this.#flushScheduled = true;
		queueMicrotask(() => this.#sendPending());
	}

	/** Hands the changes gathered so far to the worker (also before a query, so that it sees them). */
	#sendPending(): void {
		this.#flushScheduled = false;
		const batch = this.#pending.splice(0);
		for (let i = 0; i < batch.length; i += LOCAL_SEARCH_LIMITS.maxChangesPerCall) {
			const changes = batch.slice(i, i + LOCAL_SEARCH_LIMITS.maxChangesPerCall);
			void this.#enqueue((client) => client.apply({ changes }));
		}
	}

	forget(conversationId: string): void {
		this.#sendPending();
		void this.#enqueue((client) => client.forget({ conversationId }));
	}

	/** The device's hits for a search box's text (empty when the index cannot answer). */
	async query(q: string, filters?: LocalFilters): Promise<LocalHit[]> {
		this.#sendPending();
		const answer = await this.#enqueue((client) => client.query({ q, filters, now: Date.now() }));
		return answer?.hits ?? [];
	}

	/** Resolves once every change handed over so far has reached the index (tests, page hide). */
	async settled(): Promise<void> {
		this.#sendPending();
		await this.#queue;
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		await this.settled();
		this.#closed = true;
		const client = this.#client;
		if (!client) return;
		try {
			const opened = await client;
			await opened.close({});
			opened.dispose();
		} catch (error) {
			this.#options.onError?.(error);
		}
	}
}
