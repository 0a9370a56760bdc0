/**
 * Rate limits as fixed-window counters in PostgreSQL, so every instance behind a load balancer
 * counts the same attempts. One upsert per attempt: atomic without a lock.
 */
import type { Queryable } from '../db/index.js';
import { ApiError } from '../http-errors.js';

/** A limit: at most `max` attempts per `windowMs`. */
export interface RateRule {
	max: number;
	windowMs: number;
}

/** Old counters are swept at most this often (a cheap delete, piggy-backed on attempts). */
const SWEEP_INTERVAL_MS = 10 * 60_000;
/** Counters older than this are certainly past any window. */
const SWEEP_AGE_MS = 24 * 3600_000;
/**
 * Keys this process remembers as over their limit (until their window ends), answered without a
 * query: a flood of refused attempts then costs no database work, which would otherwise delay
 * everyone's queries (sign-in went from 40 ms to over a second under 128 looping bogus requests).
 * Bounded: past this many keys the oldest is forgotten (it is then asked of the database again).
 */
const BLOCKED_KEYS_MAX = 10_000;

const SQL = {
	// A window that has run out restarts at 1; otherwise the count goes up by one.
	hit: `insert into rate_limits (key, window_start, count) values ($1, $2, 1)
		on conflict (key) do update set
			count = case when rate_limits.window_start <= $3 then 1 else rate_limits.count + 1 end,
			window_start = case when rate_limits.window_start <= $3 then $2 else rate_limits.window_start end
		returning window_start, count`,
	reset: `delete from rate_limits where key = $1`,
	sweep: `delete from rate_limits where window_start < $1`
};

/** The outcome of one attempt. */
export type RateResult = { limited: false } | { limited: true; retryAfterSeconds: number };

/**
 * Counts attempts per key. `hit` returns a plain result rather than throwing: the limiter is built
 * by the process entry, whose bundle has its own copy of ApiError, so routes turn the result into
 * their ApiError with `enforceRate`.
 */
export class RateLimiter {
	#lastSweep = 0;
	/** key → time (ms) its current window ends, for keys known to be over their limit. */
	readonly #blocked = new Map<string, number>();
	constructor(
		private readonly db: Queryable,
		private readonly now: () => number
	) {}

	/** Records one attempt under `key`; says whether it is over `rule` and how long to wait. */
	async hit(key: string, rule: RateRule): Promise<RateResult> {
		const now = this.now();
		const blockedUntil = this.#blocked.get(key);
		if (blockedUntil !== undefined) {
			if (blockedUntil > now) return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((blockedUntil - now) / 1000)) };
			this.#blocked.delete(key);
		}
		await this.#sweep(now);
		const [row] = await this.db.query<{ window_start: Date; count: number }>(SQL.hit, [key, new Date(now), new Date(now - rule.windowMs)]);
		if (row && row.count > rule.max) {
			const windowEnd = new Date(row.window_start).getTime() + rule.windowMs;
			this.#remember(key, windowEnd);
			const retryAfterMs = windowEnd - now;
			return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
		}
		return { limited: false };
	}

	/** Forgets the attempts under `key` (e.g. an account's failed sign-ins after a success). */
	async reset(key: string): Promise<void> {
		this.#blocked.delete(key);
		await this.db.query(SQL.reset, [key]);
	}

	#remember(key: string, until: number): void {
		this.#blocked.delete(key);
		if (this.#blocked.size >= BLOCKED_KEYS_MAX) this.#blocked.delete(this.#blocked.keys().next().value!);
		this.#blocked.set(key, until);
	}

	async #sweep(now: number): Promise<void> {
		if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
		this.#lastSweep = now;
		await this.db.query(SQL.sweep, [new Date(now - SWEEP_AGE_MS)]);
	}
}

/** Counts one attempt and throws 429 with `Retry-After` when it is over the rule. */
export async function enforceRate(limiter: Pick<RateLimiter, 'hit'>, key: string, rule: RateRule): Promise<void> {
	const result = await limiter.hit(key, rule);
	if (result.limited)
		throw new ApiError(429, 'rate_limited', `Too many attempts; try again in ${result.retryAfterSeconds} s`, {
			headers: { 'retry-after': String(result.retryAfterSeconds) }
		});
}
