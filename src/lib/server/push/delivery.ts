/**
 * The bounded queue pushes leave from. One entry per device (subscription) and conversation:
 * what arrives while one waits is merged into it (payload.ts `mergePayloads`), and after a push
 * left, the next for the same entry waits `coalesceMs`, so a burst of messages is a few pushes.
 * At most `concurrency` requests are in flight. A push answered 429/5xx, or lost to a timeout or
 * a network error, is tried again after a backoff (or the service's Retry-After), up to
 * `maxAttempts`; 404/410 removes the subscription. Nothing here blocks anyone: the fan-out that
 * fills the queue waits for room (`whenRoom`), the relay never does.
 */
import { setMaxListeners } from 'node:events';
import type { PushPayload } from './payload.js';
import { mergePayloads } from './payload.js';
import type { SubscriptionTarget } from './store.js';

/** How one push went. */
export type SendOutcome =
	| { kind: 'sent' }
	/** 404/410: the subscription is gone for good */
	| { kind: 'gone' }
	/** 429, 5xx, timeout, network error: worth another try (`afterMs`: the service's Retry-After) */
	| { kind: 'retry'; afterMs: number | null; reason: string }
	/** anything else (a 4xx, a redirect, a refused address): not retried */
	| { kind: 'failed'; reason: string };

/** Sends one push (encryption, VAPID, transport); never throws. */
export type Send = (target: SubscriptionTarget, payload: PushPayload, signal: AbortSignal) => Promise<SendOutcome>;

/** The queue's bounds and timings (DEFAULT_LIMITS). */
export interface DeliveryLimits {
	maxEntries: number;
	concurrency: number;
	coalesceMs: number;
	maxAttempts: number;
	retryBaseMs: number;
	retryMaxMs: number;
}

/** What the queue does with outcomes beyond retrying. */
export interface DeliveryHooks {
	/** A push left and the service took it (`ok`), or it failed for good. */
	onDone?(target: SubscriptionTarget, ok: boolean, reason?: string): void;
	/** 404/410: remove this subscription. */
	onGone?(target: SubscriptionTarget): void;
}

/** Counters (tests, the bench, logs). */
export interface DeliveryStats {
	enqueued: number;
	merged: number;
	sent: number;
	retried: number;
	failed: number;
	gone: number;
}

interface Entry {
	key: string;
	target: SubscriptionTarget;
	payload: PushPayload | null;
	/** 'waiting' (due at notBefore), 'sending', or 'cooling' (sent; holds the next push back until notBefore) */
	state: 'waiting' | 'sending' | 'cooling';
	notBefore: number;
	attempt: number;
	/** what arrived while sending */
	next: PushPayload | null;
	timer: NodeJS.Timeout | null;
}

/** Pushes started per turn of the event loop (each costs an encryption, ~0.3 ms on an idle core). */
const SENDS_PER_TURN = 4;

export class DeliveryQueue {
	readonly stats: DeliveryStats = { enqueued: 0, merged: 0, sent: 0, retried: 0, failed: 0, gone: 0 };
	readonly #entries = new Map<string, Entry>();
	/** Entries due now, in arrival order. */
	readonly #ready = new Set<Entry>();
	/** Entries waiting or sending (not cooling): the queue is idle when none is left. */
	readonly #busy = new Set<Entry>();
	#inFlight = 0;
	#roomWaiters: Array<() => void> = [];
	#idleWaiters: Array<() => void> = [];
	readonly #abort = new AbortController();
	#closed = false;
	/** A #pump is scheduled for the next turn of the event loop. */
	#pumpQueued = false;

	constructor(
		private readonly limits: DeliveryLimits,
		private readonly send: Send,
		private readonly hooks: DeliveryHooks = {},
		private readonly now: () => number = Date.now,
		/** jitter in [0, 1) (injected for tests) */
		private readonly random: () => number = Math.random
	) {
		// every request in flight listens for the shutdown abort
		setMaxListeners(limits.concurrency + 10, this.#abort.signal);
	}

	/** Entries held (waiting, sending or cooling). */
	get size(): number {
		return this.#entries.size;
	}

	/** Whether another entry fits. */
	hasRoom(): boolean {
		return this.#entries.size < this.limits.maxEntries;
	}

	/** Resolves once another entry fits. */
	whenRoom(): Promise<void> {
		if (this.hasRoom() || this.#closed) return Promise.resolve();
		return new Promise((resolve) => this.#roomWaiters.push(resolve));
	}

	/** Resolves once nothing waits and nothing is in flight (cooling entries aside). */
	whenIdle(): Promise<void> {
		if (this.#idle()) return Promise.resolve();
		return new Promise((resolve) => this.#idleWaiters.push(resolve));
	}

	/** Queues a push to one device about one conversation, merging with one already waiting. */
	enqueue(target: SubscriptionTarget, conversationId: string, payload: PushPayload): void {
		if (this.#closed) return;
		this.stats.enqueued++;
		const key = `${target.id}\u0000${conversationId}`;
		const entry = this.#entries.get(key);
		if (!entry) {
			const fresh: Entry = { key, target, payload, state: 'waiting', notBefore: this.now(), attempt: 0, next: null, timer: null };
			this.#entries.set(key, fresh);
			this.#busy.add(fresh);
			this.#schedule(fresh);
			return;
		}
		this.stats.merged++;
		entry.target = target;
		if (entry.state === 'sending') entry.next = entry.next ? mergePayloads(entry.next, payload) : payload;
		else if (entry.state === 'waiting') entry.payload = entry.payload ? mergePayloads(entry.payload, payload) : payload;
		else {
			// cooling: the push waits out the rest of the interval
			this.#setState(entry, 'waiting');
			entry.payload = payload;
			entry.attempt = 0;
			this.#schedule(entry);
		}
	}

	/** Drops everything queued for a subscription (it is gone). */
	forget(subscriptionId: string): void {
		for (const entry of this.#entries.values()) if (entry.target.id === subscriptionId && entry.state !== 'sending') this.#remove(entry);
	}

	/** Stops: in-flight requests are aborted, nothing more is sent. */
	close(): void {
		this.#closed = true;
		this.#abort.abort();
		for (const entry of this.#entries.values()) if (entry.timer) clearTimeout(entry.timer);
		this.#entries.clear();
		this.#ready.clear();
		this.#busy.clear();
		for (const resolve of this.#roomWaiters.splice(0)) resolve();
		for (const resolve of this.#idleWaiters.splice(0)) resolve();
	}

	#idle(): boolean {
		return this.#inFlight === 0 && this.#busy.size === 0;
	}

	#setState(entry: Entry, state: Entry['state']): void {
		entry.state = state;
		if (state === 'cooling') this.#busy.delete(entry);
		else this.#busy.add(entry);
	}

	/** Makes a waiting entry ready now, or at its notBefore. */
	#schedule(entry: Entry): void {
		if (entry.timer) clearTimeout(entry.timer);
		entry.timer = null;
		const delay = entry.notBefore - this.now();
		if (delay <= 0 && entry.state === 'cooling') return this.#remove(entry);
		if (delay <= 0) {
			this.#ready.add(entry);
			this.#pump();
			return;
		}
		entry.timer = setTimeout(() => {
			entry.timer = null;
			if (this.#entries.get(entry.key) !== entry) return;
			if (entry.state === 'cooling') return this.#remove(entry);
			this.#ready.add(entry);
			this.#pump();
		}, delay);
		entry.timer.unref?.();
	}

	#pump(): void {
		this.#pumpQueued = false;
		let started = 0;
		while (!this.#closed && this.#inFlight < this.limits.concurrency && this.#ready.size > 0) {
			// Each start encrypts synchronously (an ECDH key pair per push): a few per turn of the
			// event loop, so the relay's frames are read in between however many pushes wait.
			if (started++ >= SENDS_PER_TURN) {
				if (!this.#pumpQueued) setImmediate(() => this.#pump());
				this.#pumpQueued = true;
				return;
			}
			const entry = this.#ready.values().next().value!;
			this.#ready.delete(entry);
			if (entry.state !== 'waiting' || !entry.payload) continue;
			this.#setState(entry, 'sending');
			entry.attempt++;
			const payload = entry.payload;
			entry.payload = null;
			this.#inFlight++;
			void this.send(entry.target, payload, this.#abort.signal)
				.catch((error: unknown) => ({ kind: 'retry', afterMs: null, reason: String(error) }) as SendOutcome)
				.then((outcome) => this.#settle(entry, payload, outcome));
		}
		if (this.#idle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
	}

	#settle(entry: Entry, payload: PushPayload, outcome: SendOutcome): void {
		this.#inFlight--;
		if (this.#closed) return;
		const now = this.now();
		if (outcome.kind === 'gone') {
			this.stats.gone++;
			this.#remove(entry);
			this.forget(entry.target.id);
			this.hooks.onGone?.(entry.target);
		} else if (outcome.kind === 'retry' && entry.attempt < this.limits.maxAttempts) {
			this.stats.retried++;
			// Exponential with equal jitter, or what the service asked for; never beyond retryMaxMs.
			const backoff = this.limits.retryBaseMs * 2 ** (entry.attempt - 1);
			const wait = outcome.afterMs ?? backoff / 2 + (this.random() * backoff) / 2;
			this.#setState(entry, 'waiting');
			entry.payload = entry.next ? mergePayloads(payload, entry.next) : payload;
			entry.next = null;
			entry.notBefore = now + Math.min(wait, this.limits.retryMaxMs);
			this.#schedule(entry);
		} else {
			const ok = outcome.kind === 'sent';
			if (ok) this.stats.sent++;
			else this.stats.failed++;
			this.hooks.onDone?.(entry.target, ok, outcome.kind === 'sent' ? undefined : outcome.reason);
			entry.attempt = 0;
			entry.notBefore = now + this.limits.coalesceMs;
			if (entry.next) {
				this.#setState(entry, 'waiting');
				entry.payload = entry.next;
				entry.next = null;
			} else this.#setState(entry, 'cooling');
			this.#schedule(entry);
		}
		this.#pump();
	}

	#remove(entry: Entry): void {
		if (entry.timer) clearTimeout(entry.timer);
		this.#entries.delete(entry.key);
		this.#ready.delete(entry);
		this.#busy.delete(entry);
		if (this.hasRoom()) for (const resolve of this.#roomWaiters.splice(0)) resolve();
		if (this.#idle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
	}
}
