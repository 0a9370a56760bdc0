/**
 * Group commit: updates accepted while transactions are in flight wait and then share the next
 * one, so durability costs each update about one commit of latency, not a commit each of
 * throughput. With a connection pool a few batches may commit at once; callers that need order
 * (a room's broadcasts) chain on their own commits, and storage never relies on commit order.
 */
import type { AppendItem, DocStorage, SqlStep } from './storage.js';

/** What one accepted update carries to the store, plus what the projection needs. */
export interface CommitItem<Extra = unknown> extends AppendItem {
	extra?: Extra;
	/**
	 * True once an earlier update of the same document failed to commit: this one may depend on
	 * it, and storing it alone would leave a gap that Yjs keeps pending forever.
	 */
	abandoned?: () => boolean;
}

interface Pending<Extra> {
	item: CommitItem<Extra>;
	resolve: () => void;
	reject: (error: unknown) => void;
}

/** Batches appends into as few transactions as the load allows. */
export class GroupCommitter<Extra = unknown> {
	readonly #queue: Pending<Extra>[] = [];
	readonly #inFlight = new Set<Promise<void>>();
	#scheduled = false;
	/** Transactions committed and items written, for the benchmark. */
	readonly stats = { transactions: 0, items: 0, largestBatch: 0 };

	constructor(
		private readonly storage: DocStorage,
		private readonly options: {
			maxBatch: number;
			maxInFlight: number;
			/** Told of every commit that took longer than `slowMs` (operators see where latency goes). */
			onSlow?: (info: { ms: number; items: number }) => void;
			slowMs?: number;
		},
		/** Extra statements committed with the batch (the projection hook). */
		private readonly project?: (items: readonly CommitItem<Extra>[]) => SqlStep[]
	) {}

	/** Resolves once `item` is committed; rejects if its transaction failed. */
	commit(item: CommitItem<Extra>): Promise<void> {
		return new Promise((resolve, reject) => {
			this.#queue.push({ item, resolve, reject });
			this.#schedule();
		});
	}

	/** Resolves when everything queued so far is committed (or failed). */
	async flush(): Promise<void> {
		while (this.#queue.length > 0 || this.#inFlight.size > 0 || this.#scheduled) {
			await Promise.allSettled([...this.#inFlight]);
			if (this.#scheduled) await new Promise<void>((resolve) => setImmediate(resolve));
		}
	}

	#schedule(): void {
		if (this.#scheduled || this.#inFlight.size >= this.options.maxInFlight) return;
		this.#scheduled = true;
		// Let the updates that arrive in this same turn of the event loop join the batch.
		setImmediate(() => {
			this.#scheduled = false;
			this.#start();
		});
	}

	#start(): void {
		while (this.#queue.length > 0 && this.#inFlight.size < this.options.maxInFlight) {
			const batch = this.#queue.splice(0, this.options.maxBatch);
			const running = this.#write(batch).finally(() => {
				this.#inFlight.delete(running);
				if (this.#queue.length > 0) this.#schedule();
			});
			this.#inFlight.add(running);
		}
	}

	async #write(all: Pending<Extra>[]): Promise<void> {
		const batch: Pending<Extra>[] = [];
		for (const pending of all) {
			if (pending.item.abandoned?.()) pending.reject(new Error(`an earlier update of ${pending.item.docName} failed`));
			else batch.push(pending);
		}
		if (batch.length === 0) return;
		const items = batch.map((pending) => pending.item);
		const started = performance.now();
		try {
			await this.storage.append(items, this.project?.(items));
			const ms = performance.now() - started;
			if (ms > (this.options.slowMs ?? Infinity)) this.options.onSlow?.({ ms: Math.round(ms), items: items.length });
			this.stats.transactions++;
			this.stats.items += items.length;
			this.stats.largestBatch = Math.max(this.stats.largestBatch, items.length);
			for (const pending of batch) pending.resolve();
		} catch (error) {
			for (const pending of batch) pending.reject(error);
		}
	}
}
