/**
 * Group commit: updates accepted while a transaction is in flight wait for it and then share the
 * next one, so durability costs each update about one commit of latency, not a commit each of
 * throughput. One writer at a time also keeps the log in acceptance order within this process.
 */
import type { AppendItem, DocStorage, SqlStep } from './storage.js';

/** What one accepted update carries to the store, plus what the projection needs. */
export interface CommitItem<Extra = unknown> extends AppendItem {
	extra?: Extra;
}

interface Pending<Extra> {
	item: CommitItem<Extra>;
	resolve: () => void;
	reject: (error: unknown) => void;
}

/** Batches appends into as few transactions as the load allows. */
export class GroupCommitter<Extra = unknown> {
	readonly #queue: Pending<Extra>[] = [];
	#draining: Promise<void> | null = null;
	/** Transactions committed and items written, for the benchmark. */
	readonly stats = { transactions: 0, items: 0, largestBatch: 0 };

	constructor(
		private readonly storage: DocStorage,
		private readonly maxBatch: number,
		/** Extra statements committed with the batch (the projection hook). */
		private readonly project?: (items: readonly CommitItem<Extra>[]) => SqlStep[]
	) {}

	/** Resolves once `item` is committed; rejects if its transaction failed. */
	commit(item: CommitItem<Extra>): Promise<void> {
		return new Promise((resolve, reject) => {
			this.#queue.push({ item, resolve, reject });
			this.#draining ??= this.#drain();
		});
	}

	/** Resolves when everything queued so far is committed (or failed). */
	async flush(): Promise<void> {
		while (this.#draining) await this.#draining;
	}

	async #drain(): Promise<void> {
		// Let the updates that arrive in this same turn join the first transaction.
		await new Promise<void>((resolve) => setImmediate(resolve));
		while (this.#queue.length > 0) {
			const batch = this.#queue.splice(0, this.maxBatch);
			const items = batch.map((pending) => pending.item);
			try {
				await this.storage.append(items, this.project?.(items));
				this.stats.transactions++;
				this.stats.items += items.length;
				this.stats.largestBatch = Math.max(this.stats.largestBatch, items.length);
				for (const pending of batch) pending.resolve();
			} catch (error) {
				for (const pending of batch) pending.reject(error);
			}
		}
		this.#draining = null;
	}
}
