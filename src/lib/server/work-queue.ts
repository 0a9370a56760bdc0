/**
 * A bounded queue in front of expensive work (argon2 hashing): at most `concurrency` tasks run at
 * once, at most `maxQueued` wait, and a task that finds the queue full is refused at once instead
 * of waiting behind an unbounded crowd. Sign-in then stays as fast as the queue is short, whatever
 * a flood of other requests does; the refused caller answers 503 with `Retry-After`.
 */

/** The size of the queue. */
export interface WorkQueueLimits {
	/** Tasks running at once (each argon2 hash holds a thread-pool thread and 19 MiB). */
	concurrency: number;
	/** Tasks waiting for a slot; past this, new tasks are refused. */
	maxQueued: number;
	/**
	 * Tasks one key (a user) may have running and waiting at once; past it that key's new tasks are
	 * refused while others still get in: one account cannot fill the queue. Unset: no share.
	 */
	maxPerKey?: number;
}

/** A task's outcome: its value, or `busy` when the queue was full (nothing ran). */
export type WorkResult<T> = { busy: false; value: T } | { busy: true };

/**
 * The queue. Results are plain objects rather than thrown errors: the queue is built by the
 * process entry, whose bundle has its own copy of ApiError (see RateLimiter).
 */
export class WorkQueue {
	#running = 0;
	readonly #waiting: Array<() => void> = [];
	/** Tasks (running and waiting) per key, for the per-key share. */
	readonly #perKey = new Map<string, number>();
	constructor(readonly limits: WorkQueueLimits) {}

	/** Tasks running now and waiting now (for tests and logs). */
	get load(): { running: number; waiting: number } {
		return { running: this.#running, waiting: this.#waiting.length };
	}

	/** Tasks `key` has running and waiting now. */
	loadOf(key: string): number {
		return this.#perKey.get(key) ?? 0;
	}

	/**
	 * Runs `task` when a slot is free; `{busy: true}` at once when the queue is full, or when `key`
	 * already has its share (`maxPerKey`) of tasks in it.
	 */
	async run<T>(task: () => Promise<T>, key?: string): Promise<WorkResult<T>> {
		if (key !== undefined && this.limits.maxPerKey !== undefined) {
			const held = this.loadOf(key);
			if (held >= this.limits.maxPerKey) return { busy: true };
			this.#perKey.set(key, held + 1);
			try {
				return await this.run(task);
			} finally {
				const left = this.loadOf(key) - 1;
				if (left > 0) this.#perKey.set(key, left);
				else this.#perKey.delete(key);
			}
		}
		if (this.#running >= this.limits.concurrency) {
			if (this.#waiting.length >= this.limits.maxQueued) return { busy: true };
			await new Promise<void>((resolve) => this.#waiting.push(resolve));
		} else {
			this.#running++;
		}
		try {
			return { busy: false, value: await task() };
		} finally {
			// The slot passes straight to the next waiter (the running count stays), or is freed.
			const next = this.#waiting.shift();
			if (next) next();
			else this.#running--;
		}
	}
}
