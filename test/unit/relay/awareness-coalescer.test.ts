import { describe, expect, it } from 'vitest';
import { AwarenessCoalescer, type CoalescerClock } from '../../../server/relay/awareness-coalescer.js';

/** A clock the test moves by hand; timers fire when it passes them. */
function manualClock() {
	let now = 0;
	let timers: Array<{ at: number; fn: () => void }> = [];
	const clock: CoalescerClock = {
		now: () => now,
		setTimeout: (fn, ms) => {
			const timer = { at: now + ms, fn };
			timers.push(timer);
			return timer;
		},
		clearTimeout: (timer) => (timers = timers.filter((t) => t !== timer))
	};
	const advance = (ms: number) => {
		now += ms;
		for (const timer of timers.filter((t) => t.at <= now)) {
			timers = timers.filter((t) => t !== timer);
			timer.fn();
		}
	};
	return { clock, advance, pending: () => timers.length };
}

describe('awareness coalescer (relay)', () => {
	it('[G9] sends the first change at once, then one flush per interval with each id once', () => {
		const { clock, advance } = manualClock();
		const flushes: Array<[number[], number[]]> = [];
		const coalescer = new AwarenessCoalescer(200, (changed, publish) => flushes.push([changed, publish]), clock);
		coalescer.changed([1], true);
		expect(flushes).toEqual([[[1], [1]]]);
		// A flood within the interval: many changes of 1, one of 2 (heard from another instance).
		for (let i = 0; i < 500; i++) coalescer.changed([1], true);
		coalescer.changed([2], false);
		expect(flushes).toHaveLength(1);
		advance(199);
		expect(flushes).toHaveLength(1);
		advance(1);
		expect(flushes[1]).toEqual([[1, 2], [1]]);
		// Over 10 s of flood, at most one flush per 200 ms.
		for (let t = 0; t < 10_000; t += 5) {
			coalescer.changed([1], true);
			advance(5);
		}
		expect(flushes.length - 2).toBeLessThanOrEqual(10_000 / 200 + 1);
	});

	it('the latest origin decides whether an id is published; destroy drops what is pending', () => {
		const { clock, advance, pending } = manualClock();
		const flushes: Array<[number[], number[]]> = [];
		const coalescer = new AwarenessCoalescer(100, (changed, publish) => flushes.push([changed, publish]), clock);
		coalescer.changed([7], true);
		coalescer.changed([7], true);
		coalescer.changed([7], false);
		advance(100);
		expect(flushes).toEqual([
			[[7], [7]],
			[[7], []]
		]);
		// Right after a flush: 8 waits for the interval's end.
		coalescer.changed([8], true);
		advance(50);
		coalescer.changed([8], true);
		expect(pending()).toBe(1);
		coalescer.destroy();
		expect(pending()).toBe(0);
		advance(1_000);
		expect(flushes).toHaveLength(2);
	});

	it('with interval 0 every change goes at once', () => {
		const { clock } = manualClock();
		let flushes = 0;
		const coalescer = new AwarenessCoalescer(0, () => flushes++, clock);
		for (let i = 0; i < 5; i++) coalescer.changed([1], true);
		expect(flushes).toBe(5);
	});
});
