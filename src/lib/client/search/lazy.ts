/**
 * The session's search index, loaded on first need (issue 20): the indexer, the feed and the
 * worker's client are a chunk of their own, so the chat's first load carries only this. Calls made
 * before the chunk arrives run once it has, in order.
 */
import type * as Y from 'yjs';
import type { DocIndexer, SearchIndexer } from './indexer.js';
import type { LocalFilters, LocalHit } from './local-index.js';

export class LazySearchIndex implements DocIndexer {
	readonly #make: () => Promise<SearchIndexer>;
	#real: Promise<SearchIndexer> | null = null;

	constructor(make: () => Promise<SearchIndexer>) {
		this.#make = make;
	}

	#get(): Promise<SearchIndexer> {
		return (this.#real ??= this.#make());
	}

	attach(conversationId: string, doc: Y.Doc): () => void {
		let stop: (() => void) | null = null;
		let stopped = false;
		void this.#get().then(
			(real) => {
				if (!stopped) stop = real.attach(conversationId, doc);
			},
			() => {}
		);
		return () => {
			stopped = true;
			stop?.();
		};
	}

	forget(conversationId: string): void {
		void this.#get().then(
			(real) => real.forget(conversationId),
			() => {}
		);
	}

	/** The device's hits (empty when the index cannot load). */
	async query(q: string, filters?: LocalFilters): Promise<LocalHit[]> {
		return (await this.#get().catch(() => null))?.query(q, filters) ?? [];
	}

	async close(): Promise<void> {
		if (!this.#real) return;
		await (await this.#real.catch(() => null))?.close();
	}
}
