/** The reconnect policy: every close code maps to one decision; backoff grows, is capped and jittered. */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../../src/lib/sync/protocol.js';
import { ABNORMAL_CLOSURE, RECONNECT_LIMITS, backoffDelay, decideReconnect } from '../../../src/lib/client/sync/reconnect-policy.js';

const low = () => 0;
const high = () => 0.999_999;

describe('decideReconnect', () => {
	it('ends for good on 4401 (sign out), 4403 (removed) and 4404 (deleted), at any attempt', () => {
		for (const attempt of [0, 7, 100]) {
			expect(decideReconnect(CloseCode.SessionEnded, attempt)).toEqual({ action: 'sign-out' });
			expect(decideReconnect(CloseCode.AccessRevoked, attempt)).toEqual({ action: 'removed' });
			expect(decideReconnect(CloseCode.Deleted, attempt)).toEqual({ action: 'deleted' });
		}
	});

	it('another 44xx (e.g. a future rate limit) stops and re-authorises instead of looping', () => {
		expect(decideReconnect(4429, 0)).toEqual({ action: 'reauthorize' });
		expect(decideReconnect(4400, 3)).toEqual({ action: 'reauthorize' });
	});

	it('server-side trouble retries with backoff: going away, storage failure, slow reader', () => {
		for (const code of [CloseCode.GoingAway, CloseCode.InternalError, CloseCode.TryAgainLater, 1000]) {
			const d = decideReconnect(code, 0, low);
			expect(d.action).toBe('retry');
		}
	});

	it('our own frame refused (1007/1008/1009) retries slowly, never hot', () => {
		for (const code of [CloseCode.Malformed, CloseCode.PolicyViolation, CloseCode.TooBig]) {
			const d = decideReconnect(code, 0, low);
			expect(d).toEqual({ action: 'retry', delayMs: backoffDelay(RECONNECT_LIMITS.penaltyAttempts, low) });
			expect((d as { delayMs: number }).delayMs).toBeGreaterThan(backoffDelay(0, high)); // slower than a first ordinary retry
		}
	});

	it('a socket that keeps failing to open (1006) asks the API every few attempts (a refused upgrade looks the same)', () => {
		const n = RECONNECT_LIMITS.reauthorizeAfterFailures;
		const actions = Array.from({ length: 2 * n }, (_, attempt) => decideReconnect(ABNORMAL_CLOSURE, attempt, low).action);
		expect(actions.filter((a) => a === 'reauthorize')).toHaveLength(2);
		expect(actions[n - 1]).toBe('reauthorize');
		expect(actions[2 * n - 1]).toBe('reauthorize');
		expect(actions[0]).toBe('retry');
	});
});

describe('backoffDelay', () => {
	it('doubles per attempt, stays within [window/2, window], and is capped', () => {
		let previousWindow = 0;
		for (let attempt = 0; attempt < 12; attempt++) {
			const min = backoffDelay(attempt, low);
			const max = backoffDelay(attempt, high);
			expect(max).toBeLessThanOrEqual(RECONNECT_LIMITS.maxDelayMs);
			expect(min).toBeGreaterThanOrEqual(Math.round(max / 2) - 1);
			expect(max).toBeGreaterThanOrEqual(previousWindow);
			previousWindow = max;
		}
		expect(backoffDelay(50, high)).toBe(RECONNECT_LIMITS.maxDelayMs);
		expect(backoffDelay(0, low)).toBe(RECONNECT_LIMITS.baseDelayMs / 2);
	});

	it('spreads clients dropped together (jitter): 100 clients get many distinct delays', () => {
		let seed = 42;
		const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
		const delays = new Set(Array.from({ length: 100 }, () => backoffDelay(6, random)));
		expect(delays.size).toBeGreaterThan(50);
	});
});
