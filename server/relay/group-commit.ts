/**
 * Group commit: updates accepted while transactions are in flight wait and then share the next
 * one, so durability costs each update about one commit of latency, not a commit each of
 * throughput. With a connection pool a few batches may commit at once; callers that need order
 * (a room's broadcasts) chain on their own commits, and storage never relies on commit order.
 *
 * The waiting updates are queued per document and batches are filled round-robin (fair-queue.ts),
 * so one document's flood delays another document's update by one batch at most. The queue is
 * bounded in total and per document: `accepts(doc)` says whether a client's update may be added
 * now, and `whenAccepts` calls back once it may (the relay stops reading that client meanwhile).
 */
import type { AppendItem, DocStorage, SqlStep } from './storage.js';
import type { Limits } from '$lib/server/config';
import { FairQueue } from './fair-queue.js';

/** The DEFAULT_LIMITS a committer enforces (docs/sync-rules.md, "Rate limits"), by their names there. */
export type CommitLimits = Pick<
	Limits,
	| 'relayGroupCommitMaxBatch'
	| 'relayGroupCommitMaxBatchBytes'
	| 'relayCommitsInFlight'
	| 'relayCommitQueueMaxItems'
	| 'relayCommitQueueMaxBytes'
	| 'relayCommitQueueMaxPerDoc'
	| 'relayCommitQueueMaxBytesPerDoc'
>;

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
	readonly #queue = new FairQueue<Pending<Extra>>();
	readonly #inFlight = new Set<Promise<void>>();
	/** Callbacks waiting for room in the queue, per document (see whenAccepts). */
	readonly #waiting = new Map<string, Array<() => void>>();
	#scheduled = false;
	/** Transactions committed and items written, for the benchmark. */
	readonly stats = { transactions: 0, items: 0, largestBatch: 0 };
	/** The queue's high-water marks (tests and the abuse benchmark check them against the bounds). */
	readonly queueStats = { maxItems: 0, maxBytes: 0, maxDocItems: 0 };

	constructor(
		private readonly storage: DocStorage,
		/**
		 * Items per batch and batches at once are required; the others are unbounded when unset: bytes
		 * of one batch (one item always passes, however large), and the bounds for `accepts` (waiting
		 * items and bytes in total, and per document).
		 */
		private readonly options: Pick<CommitLimits, 'relayGroupCommitMaxBatch' | 'relayCommitsInFlight'> &
			Partial<CommitLimits> & {
				/** Told of every commit that took longer than `slowMs` (operators see where latency goes). */
				onSlow?: (info: { ms: number; items: number }) => void;
				slowMs?: number;
			},
		/** Extra statements committed with the batch (the projection hook). */
		private readonly project?: (items: readonly CommitItem<Extra>[]) => SqlStep[]
	) {}

	/** Items and bytes waiting now (not counting transactions in flight). */
	get queued(): { items: number; bytes: number } {
		return { items: this.#queue.count, bytes: this.#queue.bytes };
	}

	/**
	 * Whether a client's update to `docName` may be queued now: under the total bounds and under the
	 * document's own (which keep one document from filling the queue for everyone). The server's own
	 * writes do not ask: they follow commits and are few.
	 */
	accepts(docName: string): boolean {
		const o = this.options;
		return (
			this.#queue.count < (o.relayCommitQueueMaxItems ?? Infinity) &&
			this.#queue.bytes < (o.relayCommitQueueMaxBytes ?? Infinity) &&
			this.#queue.countOf(docName) < (o.relayCommitQueueMaxPerDoc ?? Infinity) &&
			this.#queue.bytesOf(docName) < (o.relayCommitQueueMaxBytesPerDoc ?? Infinity)
		);
	}

	/**
	 * Calls `fn` once `accepts(docName)` holds again (at once if it does now). Returns a cancel: a
	 * waiter whose connection closed must not stay queued (reconnecting clients would pile them up).
	 */
	whenAccepts(docName: string, fn: () => void): () => void {
		if (this.accepts(docName)) {
			fn();
			return () => {};
		}
		let list = this.#waiting.get(docName);
		if (!list) this.#waiting.set(docName, (list = []));
		list.push(fn);
		return () => {
			const waiting = this.#waiting.get(docName);
			const at = waiting?.indexOf(fn) ?? -1;
			if (at >= 0) waiting!.splice(at, 1);
			if (waiting?.length === 0) this.#waiting.delete(docName);
		};
	}

	/** Resolves once `item` is committed; rejects if its transaction failed. */
	commit(item: CommitItem<Extra>): Promise<void> {
		return new Promise((resolve, reject) => {
			this.#queue.push(item.docName, { item, resolve, reject }, item.update.byteLength);
			const q = this.queueStats;
			q.maxItems = Math.max(q.maxItems, this.#queue.count);
			q.maxBytes = Math.max(q.maxBytes, this.#queue.bytes);
			q.maxDocItems = Math.max(q.maxDocItems, this.#queue.countOf(item.docName));
			this.#schedule();
		});
	}

	/** Resolves when everything queued so far is committed (or failed). */
	async flush(): Promise<void> {
		while (this.#queue.count > 0 || this.#inFlight.size > 0 || this.#scheduled) {
			await Promise.allSettled([...this.#inFlight]);
			if (this.#scheduled) await new Promise<void>((resolve) => setImmediate(resolve));
		}
	}

	#schedule(): void {
		if (this.#scheduled || this.#inFlight.size >= this.options.relayCommitsInFlight) return;
		this.#scheduled = true;
		// Let the updates that arrive in this same turn of the event loop join the batch.
		setImmediate(() => {
			this.#scheduled = false;
			this.#start();
		});
	}

	#start(): void {
		while (this.#queue.count > 0 && this.#inFlight.size < this.options.relayCommitsInFlight) {
			const batch = this.#queue.take(this.options.relayGroupCommitMaxBatch, this.options.relayGroupCommitMaxBatchBytes);
			const running = this.#write(batch).finally(() => {
				this.#inFlight.delete(running);
				if (this.#queue.count > 0) this.#schedule();
			});
			this.#inFlight.add(running);
		}
		this.#wake();
	}

	/** Room was made in the queue: call back the documents' waiters that may go on. */
	#wake(): void {
		for (const [docName, list] of this.#waiting) {
			if (!this.accepts(docName)) continue;
			this.#waiting.delete(docName);
			for (const fn of list) fn();
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
