/**
 * Coalesces a room's awareness broadcasts. The first change after a quiet interval goes out at
 * once (a typing indicator is prompt); changes within the interval are collected per client id
 * and go out together when it ends, each with its latest state (a client that sends a hundred
 * states in that time costs its listeners one). Every listener thus gets at most one awareness
 * frame per interval from the room, whatever its senders do.
 */

/** The clock and timer the coalescer uses (tests pass their own). */
export interface CoalescerClock {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(timer: unknown): void;
}

const REAL_CLOCK: CoalescerClock = {
	now: () => performance.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
	clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout)
};

/** Receives the client ids whose state changed, and those of them to tell other instances. */
export type AwarenessFlush = (changed: number[], publish: number[]) => void;

export class AwarenessCoalescer {
	readonly #dirty = new Set<number>();
	/** Ids whose latest change came from one of our clients (published to other instances). */
	readonly #publish = new Set<number>();
	#lastFlush = -Infinity;
	#timer: unknown = null;
	#destroyed = false;

	constructor(
		private readonly intervalMs: number,
		private readonly flush: AwarenessFlush,
		private readonly clock: CoalescerClock = REAL_CLOCK
	) {}

	/** States of `ids` changed; `publish`: the change came from our own clients. */
	changed(ids: readonly number[], publish: boolean): void {
		if (this.#destroyed || ids.length === 0) return;
		for (const id of ids) {
			this.#dirty.add(id);
			// Latest wins for the flag too: a local state then timed out here is not published.
			if (publish) this.#publish.add(id);
			else this.#publish.delete(id);
		}
		if (this.#timer !== null) return;
		const wait = this.#lastFlush + this.intervalMs - this.clock.now();
		if (wait <= 0) this.#run();
		else this.#timer = this.clock.setTimeout(() => this.#run(), wait);
	}

	/** Drops what is pending and stops the timer (the room is freed). */
	destroy(): void {
		this.#destroyed = true;
		if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
		this.#timer = null;
		this.#dirty.clear();
		this.#publish.clear();
	}

	#run(): void {
		this.#timer = null;
		if (this.#destroyed || this.#dirty.size === 0) return;
		this.#lastFlush = this.clock.now();
		const changed = [...this.#dirty];
		const publish = [...this.#publish];
		this.#dirty.clear();
		this.#publish.clear();
		this.flush(changed, publish);
	}
}
