/**
 * The outbox's journal over an `OutboxStore`: the outbox calls it synchronously; store calls run
 * one after another in call order (a delete never overtakes the put it deletes), and what
 * arrives meanwhile is merged into one store call (one IndexedDB transaction per burst, not per
 * write: y-indexeddb's one-per-update is what lost writes on reload, CLIENT-NOTES).
 */
import type { OutboxJournal, OutboxRecord } from '../sync/outbox.js';
import type { OutboxStore } from './types.js';

type Step = { put: OutboxRecord[] } | { delete: string[] };

export class StoreJournal implements OutboxJournal {
	#steps: Step[] = [];
	#running: Promise<void> | null = null;
	#error: unknown = null;

	constructor(
		private readonly store: OutboxStore,
		private readonly docName: string,
		/** told when a store call fails (e.g. quota exceeded): the write stays in memory only */
		private readonly onError: (error: unknown) => void = () => {}
	) {}

	put(records: readonly OutboxRecord[]): void {
		const last = this.#steps.at(-1);
		if (last && 'put' in last) last.put.push(...records);
		else this.#steps.push({ put: [...records] });
		this.#run();
	}

	delete(keys: readonly string[]): void {
		const last = this.#steps.at(-1);
		if (last && 'delete' in last) last.delete.push(...keys);
		else this.#steps.push({ delete: [...keys] });
		this.#run();
	}

	/** Resolves once everything asked so far is durable (rejects with the last store failure, if any). */
	async flushed(): Promise<void> {
		while (this.#running) await this.#running;
		if (this.#error !== null) {
			const error = this.#error;
			this.#error = null;
			throw error;
		}
	}

	#run(): void {
		if (this.#running) return;
		this.#running = (async () => {
			// let the rest of this task's writes join the batch
			await Promise.resolve();
			while (this.#steps.length > 0) {
				const step = this.#steps.shift()!;
				try {
					if ('put' in step) await this.store.put(this.docName, step.put);
					else await this.store.delete(this.docName, step.delete);
				} catch (error) {
					this.#error = error;
					this.onError(error);
				}
			}
		})().finally(() => (this.#running = null));
	}
}
