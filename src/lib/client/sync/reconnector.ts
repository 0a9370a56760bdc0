/**
 * Drives a stock WebsocketProvider's reconnects by `reconnect-policy.ts` (the provider is made
 * with `shouldReconnect: () => false`, so every server close comes here): retries with jittered
 * backoff, asks the API when the policy says so, and ends for good on 4401/4403/4404.
 */
import type { WebsocketProvider } from 'y-websocket';
import { AccessEndedError, type EndReason } from './access.js';
import { RECONNECT_LIMITS, backoffDelay, decideReconnect, type ReconnectLimits } from './reconnect-policy.js';

export interface ReconnectorOptions {
	/** Resolves when we may still open the document; throws AccessEndedError when not. */
	check: () => Promise<unknown>;
	/** The document can never be synced again (the provider is already stopped). */
	onEnd: (reason: EndReason) => void;
	limits?: ReconnectLimits;
	random?: () => number;
}

/**
 * Whether the browser reports a network (always true in Node). A socket opened while it says no
 * only fails (and Chromium logs it): we wait for the `online` event instead, which reconnects.
 */
const networkUp = (): boolean => (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false;

export class Reconnector {
	#provider: WebsocketProvider | null = null;
	#failures = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#wanted = false;
	#ended: EndReason | null = null;

	constructor(private readonly options: ReconnectorOptions) {}

	/** Whether the caller wants a connection. */
	get wanted(): boolean {
		return this.#wanted;
	}

	get ended(): EndReason | null {
		return this.#ended;
	}

	/** Follows `provider` (a recovery makes a new one). */
	attach(provider: WebsocketProvider): void {
		this.#provider = provider;
		provider.on('sync', (synced: boolean) => {
			if (synced && provider === this.#provider) this.#failures = 0;
		});
		provider.on('connection-close', (event) => {
			// null: a close we made (disconnect) or the provider's own watchdog, which reconnects by itself
			if (event && provider === this.#provider) this.#closed(event.code);
		});
	}

	connect(): void {
		if (this.#ended) return;
		this.#wanted = true;
		this.#clear();
		if (networkUp()) this.#provider?.connect();
	}

	/** Connects a new provider (after a recovery) if a connection is wanted. */
	resume(): void {
		if (this.#wanted && !this.#ended && networkUp()) this.#provider?.connect();
	}

	disconnect(): void {
		this.#wanted = false;
		this.#clear();
		this.#provider?.disconnect();
	}

	/** Ends for good (also used when a recovery learns from the API that access ended). */
	end(reason: EndReason): void {
		if (this.#ended) return;
		this.#ended = reason;
		this.#wanted = false;
		this.#clear();
		this.#provider?.disconnect();
		this.options.onEnd(reason);
	}

	destroy(): void {
		this.#wanted = false;
		this.#clear();
	}

	#closed(code: number): void {
		if (!this.#wanted || this.#ended) return;
		const limits = this.options.limits ?? RECONNECT_LIMITS;
		const decision = decideReconnect(code, this.#failures++, this.options.random, limits);
		if (decision.action === 'retry') return this.#retryIn(decision.delayMs);
		if (decision.action === 'reauthorize') {
			void this.options.check().then(
				() => this.#retryIn(backoffDelay(this.#failures, this.options.random, limits)),
				(error: unknown) => {
					if (error instanceof AccessEndedError) this.end(error.reason);
					// unreachable: keep trying
					else this.#retryIn(backoffDelay(this.#failures, this.options.random, limits));
				}
			);
			return;
		}
		this.end(decision.action);
	}

	#retryIn(delayMs: number): void {
		this.#clear();
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.resume();
		}, delayMs);
	}

	#clear(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}
}
