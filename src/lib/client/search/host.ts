/**
 * The worker's side of the search protocol, without the worker: it holds one user's index,
 * answers requests one at a time (a load or save never interleaves with a change), and saves the
 * snapshot `saveDelayMs` after the last change. worker.ts wires it to `self`; tests drive it over a
 * MessageChannel or directly.
 */
import { LocalSearchIndex } from './local-index.js';
import { LOCAL_SEARCH_LIMITS, type LocalSearchLimits } from './limits.js';
import type { SnapshotStore } from './store.js';
import type { SearchRequest, SearchResponse } from './protocol.js';

/** What the host needs from its surroundings. */
export interface HostDeps {
	/** The snapshot store of a user. */
	openStore(userId: string): SnapshotStore;
	limits?: LocalSearchLimits;
	/** Timers (tests pass their own); default setTimeout. */
	setTimer?: (fn: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
	/** Save failures (quota, storage gone): logged by the worker, never thrown at a caller. */
	onError?: (error: unknown) => void;
}

export class SearchHost {
	#index: LocalSearchIndex | null = null;
	#store: SnapshotStore | null = null;
	#timer: unknown = null;
	/** Requests run in order: each waits for the one before. */
	#queue: Promise<unknown> = Promise.resolve();
	readonly #limits: LocalSearchLimits;

	constructor(private readonly deps: HostDeps) {
		this.#limits = deps.limits ?? { ...LOCAL_SEARCH_LIMITS };
	}

	/** Answers one request (in arrival order). */
	handle(request: SearchRequest): Promise<SearchResponse> {
		const run = this.#queue.then(() => this.#run(request));
		this.#queue = run.catch(() => {});
		return run.then(
			(result): SearchResponse => ({ id: request.id, ok: true, result }),
			(error): SearchResponse => ({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) })
		);
	}

	async #run(request: SearchRequest): Promise<unknown> {
		if (request.type === 'open') return this.#open(request.userId);
		if (request.type === 'close') return this.#close();
		const index = this.#index;
		if (!index) throw new Error('the search index is not open');
		switch (request.type) {
			case 'apply':
				return this.#changed({ applied: index.apply(request.changes) });
			case 'sync':
				return this.#changed(index.syncConversation(request.conversationId, request.messages));
			case 'forget':
				return this.#changed({ removed: index.forgetConversation(request.conversationId) });
			case 'query':
				return { hits: index.query(request.q, request.filters, request.now) };
			case 'stats':
				return { size: index.size };
			case 'flush':
				return { saved: await this.#save() };
		}
	}

	async #open(userId: string) {
		if (this.#index) await this.#close();
		const store = this.deps.openStore(userId);
		const snapshot = await store.load();
		const loaded = snapshot === undefined ? null : LocalSearchIndex.load(snapshot, this.#limits);
		// An unreadable snapshot (another format, cut short) is dropped: the index refills from the documents.
		if (snapshot !== undefined && !loaded) await store.clear();
		this.#store = store;
		this.#index = loaded ?? LocalSearchIndex.create(this.#limits);
		return { size: this.#index.size, loaded: loaded !== null };
	}

	async #close() {
		const saved = await this.#save();
		this.#store?.close();
		this.#store = null;
		this.#index = null;
		return { saved };
	}

	/** Schedules a save after a change (one timer: changes in between are saved together). */
	#changed<T>(result: T): T {
		if (this.#index?.changed && this.#timer === null) {
			const set = this.deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
			this.#timer = set(() => {
				this.#timer = null;
				void this.handle({ id: -1, type: 'flush' });
			}, this.#limits.saveDelayMs);
		}
		return result;
	}

	async #save(): Promise<boolean> {
		if (this.#timer !== null) {
			(this.deps.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)))(this.#timer);
			this.#timer = null;
		}
		if (!this.#index?.changed || !this.#store) return false;
		try {
			await this.#store.save(await this.#index.serialize());
			return true;
		} catch (error) {
			this.deps.onError?.(error);
			return false;
		}
	}
}
