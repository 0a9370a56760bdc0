import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Intake, newIntakeStats, type IntakeDeps } from '../../../server/relay/intake.js';
import { TokenBucket } from '../../../server/relay/token-bucket.js';
import { awarenessFrame, updateFrame } from '../../../src/lib/sync/protocol.js';

const LIMITS = { relayRateLimitCloseAfterMs: 1_000, relayMaxHeldBytes: 1 << 20, relayMaxFramesPerTurn: 100 };

/** An intake over fake timers, recording what it delivers and how it drives the socket. */
function setup(overrides: Partial<IntakeDeps> = {}) {
	const now = () => Date.now();
	const log: string[] = [];
	let accepts = true;
	const waiting: Array<() => void> = [];
	const deps: IntakeDeps = {
		buckets: { sync: [new TokenBucket(10, 2, now)], awareness: [new TokenBucket(10, 1, now)] },
		deliver: (frame) => log.push(`deliver ${frame[frame.length - 1]}`),
		pause: () => log.push('pause'),
		resume: () => log.push('resume'),
		accepts: () => accepts,
		whenAccepts: (fn) => {
			waiting.push(fn);
			return () => {};
		},
		onOverLimit: () => log.push('over limit'),
		onOverflow: () => log.push('overflow'),
		limits: LIMITS,
		stats: newIntakeStats(),
		now,
		...overrides
	};
	return { intake: new Intake(deps), deps, log, waiting, setAccepts: (value: boolean) => (accepts = value) };
}
/** An update frame whose last byte is `n` (to tell frames apart). */
const update = (n: number) => updateFrame(new Uint8Array([0, n]));

describe('intake (relay backpressure)', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('[G5] passes a burst, then holds frames in order with the socket paused until tokens are due', () => {
		const { intake, deps, log } = setup();
		for (let n = 1; n <= 4; n++) intake.offer(update(n));
		expect(log).toEqual(['deliver 1', 'deliver 2', 'pause']);
		expect(intake.paused).toBe(true);
		vi.advanceTimersByTime(100);
		expect(log.slice(3)).toEqual(['deliver 3']);
		vi.advanceTimersByTime(100);
		expect(log.slice(4)).toEqual(['deliver 4', 'resume']);
		expect(deps.stats.rateWaits).toBe(2);
		expect(deps.stats.syncFrames).toBe(4);
	});

	it('keeps sync and awareness buckets apart', () => {
		const { intake, log } = setup();
		intake.offer(awarenessFrame(new Uint8Array([0, 9])));
		intake.offer(update(1));
		intake.offer(update(2));
		expect(log).toEqual(['deliver 9', 'deliver 1', 'deliver 2']);
	});

	it('[G6] closes a client that stays over its rate for relayRateLimitCloseAfterMs', () => {
		const { intake, log, deps } = setup();
		// A flooder: always another frame waiting.
		for (let n = 0; n < 50; n++) intake.offer(update(n));
		vi.advanceTimersByTime(1_500);
		expect(log).toContain('over limit');
		expect(deps.stats.overLimitCloses).toBe(1);
		// Closed: nothing more is delivered.
		const delivered = log.filter((l) => l.startsWith('deliver')).length;
		vi.advanceTimersByTime(1_000);
		expect(log.filter((l) => l.startsWith('deliver')).length).toBe(delivered);
	});

	it('[G5] waits for the commit queue without counting that time against the client; rate limits off lift only the buckets', () => {
		const { intake, log, waiting, setAccepts, deps } = setup({ buckets: null });
		setAccepts(false);
		intake.offer(update(1));
		intake.offer(awarenessFrame(new Uint8Array([0, 8])));
		expect(log).toEqual(['pause']);
		vi.advanceTimersByTime(60_000);
		expect(log).toEqual(['pause']);
		setAccepts(true);
		waiting.shift()!();
		expect(log).toEqual(['pause', 'deliver 1', 'deliver 8', 'resume']);
		expect(deps.stats.commitWaits).toBe(1);
		expect(deps.stats.overLimitCloses).toBe(0);
		for (let n = 0; n < 50; n++) intake.offer(update(n));
		expect(deps.stats.rateWaits).toBe(0);
	});

	it('a closed connection cancels its wait for the commit queue (reconnecting clients do not pile waiters up)', () => {
		let cancelled = 0;
		const { intake, setAccepts } = setup({ buckets: null, whenAccepts: () => () => cancelled++ });
		setAccepts(false);
		intake.offer(update(1));
		expect(cancelled).toBe(0);
		intake.close();
		expect(cancelled).toBe(1);
		intake.close();
		expect(cancelled).toBe(1);
	});

	it('[G3] passes at most relayMaxFramesPerTurn frames per turn of the event loop', () => {
		const { intake, log } = setup({ buckets: null, limits: { ...LIMITS, relayMaxFramesPerTurn: 3 } });
		for (let n = 1; n <= 5; n++) intake.offer(update(n));
		expect(log).toEqual(['deliver 1', 'deliver 2', 'deliver 3', 'pause']);
		vi.runAllTimers();
		expect(log.slice(4)).toEqual(['deliver 4', 'deliver 5', 'resume']);
	});

	it('[G5] reports an overflow when more is handed over than may wait', () => {
		const { intake, log } = setup({ limits: { ...LIMITS, relayMaxHeldBytes: 200 } });
		for (let n = 0; n < 5; n++) intake.offer(update(n));
		expect(log).toContain('overflow');
	});

	it('byte buckets: a frame passes while they are not in debt, then pays its size; step 1 waits on the reply budget', () => {
		const now = () => Date.now();
		const bytes = new TokenBucket(1000, 1000, now);
		const replies = new TokenBucket(1000, 1000, now);
		const { intake, deps, log } = setup({
			buckets: {
				sync: [new TokenBucket(1000, 1000, now)],
				awareness: [new TokenBucket(1000, 1000, now)],
				bytes: [bytes],
				replies: [replies]
			}
		});
		// A 3000-byte update passes (the bucket was not in debt), then the next frame waits ~2 s.
		intake.offer(updateFrame(new Uint8Array(3000).fill(1)));
		intake.offer(update(2));
		expect(log).toEqual(['deliver 1', 'pause']);
		expect(deps.stats.byteWaits).toBe(1);
		vi.advanceTimersByTime(2_100);
		expect(log.slice(2)).toEqual(['deliver 2', 'resume']);
		// The room charged a large reply: a sync step 1 now waits, other sync frames do not.
		vi.advanceTimersByTime(5_000);
		replies.charge(4000);
		const step1 = new Uint8Array([0, 0, 1, 0]);
		intake.offer(update(3));
		intake.offer(step1);
		expect(log.slice(4)).toEqual(['deliver 3', 'pause']);
		expect(deps.stats.replyWaits).toBe(1);
		vi.advanceTimersByTime(3_100);
		expect(log.slice(6)).toEqual(['deliver 0', 'resume']);
	});
});
