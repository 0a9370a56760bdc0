// The delivery queue (src/lib/server/push/delivery.ts): coalescing per device and conversation,
// the concurrency bound, retries with backoff and Retry-After, 404/410, and the entries bound.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeliveryQueue, type SendOutcome } from '$lib/server/push/delivery';
import { messagePayload, readPayload, type PushPayload } from '$lib/server/push/payload';
import type { SubscriptionTarget } from '$lib/server/push/store';

const target = (id: string): SubscriptionTarget => ({
	id,
	userId: 'u' + id,
	endpoint: `https://push.example/${id}`,
	p256dh: 'k',
	auth: 'a'
});
const conversation = { id: 'c1', kind: 'group' as const, title: 'T' };
const message = (n: number, mention = false) =>
	messagePayload({
		conversation,
		message: { id: `m${n}`, authorId: 'a', authorName: 'A', createdAt: n, text: `t${n}`, kind: 'text', attachments: 0 },
		count: n,
		mention,
		preview: 'full',
		previewMaxChars: 100,
		maxBytes: 3000
	});
const limits = { maxEntries: 100, concurrency: 2, coalesceMs: 1000, maxAttempts: 3, retryBaseMs: 100, retryMaxMs: 5000 };

describe('push delivery queue', () => {
	let sent: Array<{ target: string; payload: PushPayload }>;
	let answers: SendOutcome[];
	let pending: Array<(o: SendOutcome) => void>;
	let manual: boolean;
	const send = vi.fn(async (t: SubscriptionTarget, payload: PushPayload): Promise<SendOutcome> => {
		sent.push({ target: t.id, payload });
		if (manual) return new Promise<SendOutcome>((resolve) => pending.push(resolve));
		return answers.shift() ?? ({ kind: 'sent' } as SendOutcome);
	});
	beforeEach(() => {
		vi.useFakeTimers();
		sent = [];
		answers = [];
		pending = [];
		manual = false;
	});
	afterEach(() => vi.useRealTimers());
	const queue = (over: Partial<typeof limits> = {}, hooks = {}) =>
		new DeliveryQueue(
			{ ...limits, ...over },
			send,
			hooks,
			() => Date.now(),
			() => 0.5
		);

	it('coalesces what arrives for one device and conversation: the newest goes, a mention is kept', async () => {
		const q = queue();
		q.enqueue(target('1'), 'c1', message(1));
		await vi.advanceTimersByTimeAsync(0);
		for (let n = 2; n <= 50; n++) q.enqueue(target('1'), 'c1', message(n, n === 10));
		await vi.advanceTimersByTimeAsync(999);
		expect(sent).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(sent).toHaveLength(2);
		expect(sent[1]!.payload).toMatchObject({ messageId: 'm50', count: 50, mention: true });
		await q.whenIdle();
		expect(q.stats).toMatchObject({ enqueued: 50, merged: 49, sent: 2 });
	});

	it('a read replaces a waiting message push; a reaction never replaces one', async () => {
		const q = queue();
		q.enqueue(target('1'), 'c1', message(1));
		await vi.advanceTimersByTimeAsync(0);
		q.enqueue(target('1'), 'c1', message(2));
		q.enqueue(target('1'), 'c1', readPayload('c1'));
		await vi.advanceTimersByTimeAsync(1000);
		expect(sent.map((s) => s.payload.kind)).toEqual(['message', 'read']);
	});

	it('keeps at most `concurrency` requests in flight', async () => {
		manual = true;
		const q = queue();
		for (let i = 0; i < 5; i++) q.enqueue(target(String(i)), 'c1', message(i));
		await vi.advanceTimersByTimeAsync(0);
		expect(sent).toHaveLength(2);
		pending.shift()!({ kind: 'sent' });
		await vi.advanceTimersByTimeAsync(0);
		expect(sent).toHaveLength(3);
		for (const resolve of pending.splice(0)) resolve({ kind: 'sent' });
		manual = false;
		await vi.advanceTimersByTimeAsync(0);
		expect(sent).toHaveLength(5);
	});

	it('retries 429/5xx with backoff, honours Retry-After, gives up after maxAttempts', async () => {
		const done = vi.fn();
		const q = queue({}, { onDone: done });
		answers = [
			{ kind: 'retry', afterMs: 3000, reason: '429' },
			{ kind: 'retry', afterMs: null, reason: '503' },
			{ kind: 'retry', afterMs: null, reason: '503' }
		];
		q.enqueue(target('1'), 'c1', message(1));
		await vi.advanceTimersByTimeAsync(0);
		expect(sent).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(2999);
		expect(sent).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(sent).toHaveLength(2);
		// second retry: base 100 × 2 = 200, equal jitter at 0.5 → 150 ms
		await vi.advanceTimersByTimeAsync(149);
		expect(sent).toHaveLength(2);
		await vi.advanceTimersByTimeAsync(1);
		expect(sent).toHaveLength(3);
		await q.whenIdle();
		expect(done).toHaveBeenCalledWith(expect.objectContaining({ id: '1' }), false, '503');
		expect(q.stats).toMatchObject({ retried: 2, failed: 1, sent: 0 });
	});

	it('caps Retry-After at retryMaxMs', async () => {
		const q = queue();
		answers = [{ kind: 'retry', afterMs: 86_400_000, reason: '429' }];
		q.enqueue(target('1'), 'c1', message(1));
		await vi.advanceTimersByTimeAsync(5000);
		expect(sent).toHaveLength(2);
	});

	it('404/410: the subscription is reported gone and nothing more is sent to it', async () => {
		const gone = vi.fn();
		manual = true;
		const q = queue({}, { onGone: gone });
		q.enqueue(target('1'), 'c1', message(1));
		await vi.advanceTimersByTimeAsync(0);
		q.enqueue(target('1'), 'c2', message(2));
		await vi.advanceTimersByTimeAsync(0);
		pending.shift()!({ kind: 'gone' });
		await vi.advanceTimersByTimeAsync(0);
		expect(gone).toHaveBeenCalledTimes(1);
		// c2's push was already in flight: it settles, and c1's entry is gone
		pending.shift()?.({ kind: 'sent' });
		await vi.advanceTimersByTimeAsync(5000);
		expect(q.size).toBe(0);
	});

	it('is bounded: past maxEntries hasRoom is false and whenRoom waits until one leaves', async () => {
		manual = true;
		const q = queue({ maxEntries: 3, concurrency: 1, coalesceMs: 0 });
		for (let i = 0; i < 3; i++) q.enqueue(target(String(i)), 'c1', message(i));
		expect(q.hasRoom()).toBe(false);
		let room = false;
		void q.whenRoom().then(() => (room = true));
		await vi.advanceTimersByTimeAsync(0);
		expect(room).toBe(false);
		pending.shift()!({ kind: 'sent' });
		await vi.advanceTimersByTimeAsync(0);
		expect(room).toBe(true);
		q.close();
	});
});
