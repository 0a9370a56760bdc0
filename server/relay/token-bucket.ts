/**
 * A token bucket: `burst` tokens at most, refilled at `perSecond`. A frame takes one token; an
 * empty bucket says how long until the next one. The clock is passed in (tests drive it).
 */
export class TokenBucket {
	#tokens: number;
	#at: number;

	constructor(
		private readonly perSecond: number,
		private readonly burst: number,
		private readonly now: () => number
	) {
		this.#tokens = burst;
		this.#at = now();
	}

	/** Tokens available now (fractional while refilling). */
	get tokens(): number {
		this.#refill();
		return this.#tokens;
	}

	/** True when the bucket is full: it is then the same as a new one (callers may drop it). */
	get full(): boolean {
		return this.tokens >= this.burst;
	}

	/** Takes `n` tokens if there are that many; false (and nothing taken) otherwise. */
	take(n = 1): boolean {
		this.#refill();
		if (this.#tokens < n) return false;
		this.#tokens -= n;
		return true;
	}

	/**
	 * Takes `n` tokens whether or not there are that many: the bucket may go into debt, which later
	 * takes wait out (`waitMs(1)`). Used for costs known only after the fact (a reply's size) and
	 * for byte buckets, where a frame larger than the burst must still pass once.
	 */
	charge(n: number): void {
		this.#refill();
		this.#tokens -= n;
	}

	/** Milliseconds until `n` tokens are available (0: now). */
	waitMs(n = 1): number {
		this.#refill();
		if (this.#tokens >= n) return 0;
		return Math.ceil(((n - this.#tokens) / this.perSecond) * 1000);
	}

	#refill(): void {
		const now = this.now();
		const elapsed = Math.max(0, now - this.#at);
		this.#at = now;
		this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.perSecond) / 1000);
	}
}
