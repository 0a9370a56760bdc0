/**
 * Reading a conversation on one device closes its notification on the others: a silent "read"
 * push goes to each of the reader's devices, but only when something was notified there since
 * they last read it (push_notified), so the many read-position moves of an open chat cost no
 * pushes. Reads are collected and looked up together, one statement per `flushMs`, bounded.
 */
import type { Logger } from 'pino';
import type { Queryable } from '../db/index.js';
import type { DeliveryQueue } from './delivery.js';
import { readPayload } from './payload.js';
import { clearNotified } from './recipients.js';
import { liveSubscriptions } from './store.js';

export class ReadTracker {
	/** Pending reads, keyed "user\0conversation". */
	#pending = new Map<string, { userId: string; conversationId: string }>();
	#timer: NodeJS.Timeout | null = null;
	#flushing: Promise<void> | null = null;
	#closed = false;
	dropped = 0;

	constructor(
		private readonly deps: { db: Queryable; queue: DeliveryQueue; log: Logger },
		/** `pushReadsMaxPending`, `pushReadsFlushMs` of DEFAULT_LIMITS */
		private readonly limits: { maxPending: number; flushMs: number }
	) {}

	/** A person read (moved their read position in) a conversation. */
	read(userId: string, conversationId: string): void {
		if (this.#closed) return;
		if (this.#pending.size >= this.limits.maxPending) return void this.dropped++;
		this.#pending.set(`${userId}\u0000${conversationId}`, { userId, conversationId });
		this.#timer ??= setTimeout(() => {
			this.#timer = null;
			void this.flush();
		}, this.limits.flushMs);
	}

	/** Looks up the pending reads now; resolves when their pushes are queued. */
	async flush(): Promise<void> {
		while (this.#flushing) await this.#flushing;
		if (this.#pending.size === 0) return;
		const pairs = [...this.#pending.values()];
		this.#pending = new Map();
		this.#flushing = (async () => {
			try {
				const cleared = await clearNotified(this.deps.db, pairs);
				if (cleared.length === 0 || this.#closed) return;
				const byUser = new Map<string, string[]>();
				for (const { userId, conversationId } of cleared) byUser.set(userId, [...(byUser.get(userId) ?? []), conversationId]);
				for (const target of await liveSubscriptions(this.deps.db, [...byUser.keys()]))
					for (const conversationId of byUser.get(target.userId) ?? []) {
						if (!this.deps.queue.hasRoom()) await this.deps.queue.whenRoom();
						if (this.#closed) return;
						this.deps.queue.enqueue(target, conversationId, readPayload(conversationId));
					}
			} catch (error) {
				this.deps.log.warn({ err: error }, 'read notifications failed');
			} finally {
				this.#flushing = null;
			}
		})();
		await this.#flushing;
	}

	close(): void {
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#pending.clear();
	}
}
