/**
 * One client's WebSocket to one document: who it is, what it may do, and a send that protects the
 * server from clients that read too slowly.
 */
import WebSocket from 'ws';
import type { DocAccess } from './access.js';
import { CloseCode } from '$lib/sync/protocol';
import type { TokenBucket } from './token-bucket.js';

export class Connection {
	/** Awareness client ids this connection speaks for. */
	readonly awarenessIds = new Set<number>();
	/** Set by each pong or frame; the keep-alive closes a connection that stayed silent a whole interval. */
	alive = true;
	closed = false;
	/** True while the relay stopped reading this socket (backpressure, intake.ts). */
	readingPaused = false;
	/** Buckets charged with the size of each sync step 2 reply (its user's; empty: rate limits off). */
	replyBuckets: readonly TokenBucket[] = [];
	/** A sync step 2 reply is encoded and waits for earlier commits: at most one at a time. */
	replyPending = false;
	/** Sync step 1 state vectors waiting behind the pending reply (bounded: relayStep1QueueMax). */
	readonly deferredStep1: Uint8Array[] = [];
	/** When this connection's recent updates were refused (relayRefusalsBeforeClose). */
	readonly refusedAt: number[] = [];
	/** When a query-awareness of this connection was last answered. */
	lastAwarenessQuery = -Infinity;

	constructor(
		readonly ws: WebSocket,
		readonly userId: string,
		readonly sessionId: string,
		readonly docName: string,
		public access: DocAccess,
		private readonly maxBufferedBytes: number
	) {
		ws.on('close', () => (this.closed = true));
	}

	/** Sends a frame, or drops the connection if its backlog passed the limit (it resyncs on reconnect). */
	send(frame: Uint8Array): void {
		if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
		// Only a backlog counts: a frame larger than the limit on its own (a big document's sync step 2)
		// still goes to a client that keeps up, else that client could never sync it. Memory per
		// connection stays under the limit plus one frame.
		const backlog = this.ws.bufferedAmount;
		if (backlog > 0 && backlog + frame.byteLength > this.maxBufferedBytes) {
			this.close(CloseCode.TryAgainLater, 'too slow: backlog over the limit');
			return;
		}
		this.ws.send(frame, { binary: true });
	}

	/** Whether the backlog is over half the limit: encoding a large reply for it would only be dropped. */
	get backlogged(): boolean {
		return this.ws.bufferedAmount * 2 > this.maxBufferedBytes;
	}

	/** Stops reading the socket: the client's sends back up in TCP, not in our memory. */
	pauseReading(): void {
		this.readingPaused = true;
		if (!this.closed) this.ws.pause();
	}

	/** Reads the socket again. */
	resumeReading(): void {
		this.readingPaused = false;
		if (!this.closed) this.ws.resume();
	}

	/** Closes with a code and reason (reason is trimmed to the 123 bytes a close frame allows). */
	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
		// A peer that never answers the close handshake must not hold the socket.
		setTimeout(() => this.ws.terminate(), 5_000).unref();
	}
}
