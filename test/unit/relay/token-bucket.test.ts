import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../server/relay/token-bucket.js';

describe('token bucket (relay rate limits)', () => {
	it('lets a burst through at once, then refuses until tokens are due', () => {
		let now = 1_000;
		const bucket = new TokenBucket(10, 5, () => now);
		for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
		expect(bucket.take()).toBe(false);
		// 10 per second: the next token is due in 100 ms.
		expect(bucket.waitMs()).toBe(100);
		now += 99;
		expect(bucket.take()).toBe(false);
		now += 1;
		expect(bucket.take()).toBe(true);
		expect(bucket.take()).toBe(false);
	});

	it('refills at the sustained rate and never above the burst', () => {
		let now = 0;
		const bucket = new TokenBucket(20, 100, () => now);
		for (let i = 0; i < 100; i++) bucket.take();
		now += 1_000;
		let passed = 0;
		while (bucket.take()) passed++;
		expect(passed).toBe(20);
		now += 3_600_000;
		expect(bucket.tokens).toBe(100);
		expect(bucket.full).toBe(true);
	});

	it('a failed take takes nothing, and a clock that goes back adds nothing', () => {
		let now = 500;
		const bucket = new TokenBucket(1, 2, () => now);
		expect(bucket.take(3)).toBe(false);
		expect(bucket.tokens).toBe(2);
		expect(bucket.take(2)).toBe(true);
		now -= 400;
		expect(bucket.tokens).toBe(0);
		expect(bucket.waitMs(2)).toBe(2_000);
	});

	it('over a long flood, passes burst + rate × time and no more', () => {
		let now = 0;
		const bucket = new TokenBucket(20, 100, () => now);
		let passed = 0;
		// A client offering a frame every millisecond for 30 s.
		for (let t = 0; t < 30_000; t++) {
			now = t;
			if (bucket.take()) passed++;
		}
		expect(passed).toBeGreaterThanOrEqual(100 + 20 * 29);
		expect(passed).toBeLessThanOrEqual(100 + 20 * 30);
	});

	it('charge() may take the bucket into debt, which later takes wait out (byte and reply buckets)', () => {
		let now = 0;
		// 1 MiB/s, burst 2 MiB: a 5 MiB reply passes once, then the next frame waits 3 s of refill.
		const bucket = new TokenBucket(1 << 20, 2 << 20, () => now);
		expect(bucket.waitMs()).toBe(0);
		bucket.charge(5 << 20);
		expect(bucket.tokens).toBe(-(3 << 20));
		expect(bucket.waitMs()).toBeGreaterThan(2_999);
		now += 3_000;
		expect(bucket.waitMs()).toBe(1);
		now += 1;
		expect(bucket.waitMs()).toBe(0);
	});
});
