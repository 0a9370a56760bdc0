/**
 * Keeps recent conversations cached offline without many sockets: opens a few at a time, waits
 * until each has synced (and its outbox is empty), then closes it. Conversations with writes left
 * by a previous session go first (`flush`): they are delivered even if never opened again.
 */
import type { ConversationHandle } from './session.js';

/** Pool limits, named. */
export const POOL_LIMITS = {
	/** sockets the pool may hold at once, besides the inbox, drafts and the open conversation */
	concurrent: 2,
	/** recent conversations kept fresh for offline reading */
	recent: 20
} as const;

export interface BackgroundPoolOptions {
	recent: number;
	concurrent: number;
	open: (conversationId: string) => Promise<ConversationHandle>;
}

export class BackgroundPool {
	#queue: string[] = [];
	#queued = new Set<string>();
	#running = 0;
	#done = new Set<string>();
	#destroyed = false;

	constructor(private readonly options: BackgroundPoolOptions) {}

	/** Conversations synced by the pool this session. */
	get done(): ReadonlySet<string> {
		return this.#done;
	}

	/** Queues the `recent` newest of `conversationIds` (newest first) not yet synced this session. */
	fill(conversationIds: readonly string[]): void {
		if (this.options.recent <= 0) return;
		for (const id of conversationIds.slice(0, this.options.recent)) this.#enqueue(id, false);
	}

	/** Queues conversations with pending writes, ahead of the rest. */
	flush(conversationIds: readonly string[]): void {
		for (const id of [...conversationIds].reverse()) this.#enqueue(id, true);
	}

	destroy(): void {
		this.#destroyed = true;
		this.#queue = [];
	}

	#enqueue(id: string, first: boolean): void {
		if (this.#queued.has(id) || (this.#done.has(id) && !first)) return;
		this.#queued.add(id);
		if (first) this.#queue.unshift(id);
		else this.#queue.push(id);
		this.#pump();
	}

	#pump(): void {
		while (!this.#destroyed && this.#running < this.options.concurrent && this.#queue.length > 0) {
			const id = this.#queue.shift()!;
			this.#running++;
			void this.#visit(id).finally(() => {
				this.#running--;
				this.#queued.delete(id);
				this.#pump();
			});
		}
	}

	async #visit(id: string): Promise<void> {
		let handle: ConversationHandle;
		try {
			handle = await this.options.open(id);
		} catch {
			return; // session ended, or storage failed: the next fill tries again
		}
		try {
			const { sync } = handle;
			// synced with nothing of ours pending, or over (removed, deleted, signed out)
			await new Promise<void>((resolve) => {
				const check = () => {
					if (this.#destroyed || sync.ended || sync.status === 'up-to-date') {
						sync.off('change', check);
						resolve();
					}
				};
				sync.on('change', check);
				check();
			});
			this.#done.add(id);
		} finally {
			handle.release();
		}
	}
}
