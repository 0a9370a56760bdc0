/**
 * What the client does when a relay socket closes, decided in one place from the close code
 * (`CloseCode`, src/lib/sync/protocol.ts): retry with backoff and jitter, stop and re-authorise,
 * sign out (4401), "you were removed" (4403), "deleted" (4404). Pure: the caller owns the timers.
 */
import { CloseCode } from '../../sync/protocol.js';

/** The decision for one close. */
export type ReconnectDecision =
	| { action: 'retry'; delayMs: number }
	/** Stop; ask the API whether we may still open the document (then retry, or one of the ends below). */
	| { action: 'reauthorize' }
	/** The session ended: sign out cleanly, never retry. */
	| { action: 'sign-out' }
	/** We may no longer open this document. */
	| { action: 'removed' }
	/** The document is gone. */
	| { action: 'deleted' };

/** The reconnect limits, named (STYLE: no magic numbers). */
export const RECONNECT_LIMITS = {
	/** first retry window: quick enough that a dropped proxy connection is invisible */
	baseDelayMs: 250,
	/** cap of the backoff window: a relay that is down is retried at most this far apart */
	maxDelayMs: 30_000,
	/**
	 * our own frame was refused as malformed, oversized or over the queue cap: the same state
	 * may be sent again, so start as if this many attempts had failed (a slow, not a hot, loop)
	 */
	penaltyAttempts: 5,
	/**
	 * failed opens in a row (a browser shows an upgrade answered 401/403 as a plain 1006)
	 * after which we stop and ask the API whether the session or the membership still exists
	 */
	reauthorizeAfterFailures: 4
} as const;

export type ReconnectLimits = { readonly [K in keyof typeof RECONNECT_LIMITS]: number };

/** What a browser reports when the socket failed or never opened (RFC 6455; never sent by a server). */
export const ABNORMAL_CLOSURE = 1006;

/** Codes after which our own frames were at fault (see `penaltyAttempts`). */
const OUR_FAULT: ReadonlySet<number> = new Set([CloseCode.Malformed, CloseCode.PolicyViolation, CloseCode.TooBig]);

/**
 * Backoff with "equal jitter": half the window fixed, half random, so that clients dropped
 * together by one restart do not come back together (and the delay never collapses to 0).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, limits: ReconnectLimits = RECONNECT_LIMITS): number {
	const window = Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** Math.max(0, attempt));
	return Math.round(window / 2 + random() * (window / 2));
}

/**
 * The decision after a close with `code`, the `attempt`-th in a row without a successful sync
 * (0 for the first). `code` is the server's close code, or 1006 when the socket failed/never opened.
 */
export function decideReconnect(
	code: number,
	attempt: number,
	random: () => number = Math.random,
	limits: ReconnectLimits = RECONNECT_LIMITS
): ReconnectDecision {
	switch (code) {
		case CloseCode.SessionEnded:
			return { action: 'sign-out' };
		case CloseCode.AccessRevoked:
			return { action: 'removed' };
		case CloseCode.Deleted:
			return { action: 'deleted' };
	}
	// any other deliberate 44xx (e.g. a rate limit added later): the server's answer may have
	// changed by now; asking the API costs one request and tells which of the above applies
	if (code >= 4400 && code < 4500) return { action: 'reauthorize' };
	if (OUR_FAULT.has(code)) return { action: 'retry', delayMs: backoffDelay(attempt + limits.penaltyAttempts, random, limits) };
	if (code === ABNORMAL_CLOSURE && (attempt + 1) % limits.reauthorizeAfterFailures === 0) {
		// every few failed opens in a row: perhaps the upgrade itself is refused (401/403 look like 1006)
		return { action: 'reauthorize' };
	}
	return { action: 'retry', delayMs: backoffDelay(attempt, random, limits) };
}
