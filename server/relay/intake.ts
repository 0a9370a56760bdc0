/**
 * A connection's intake: every frame a client sends passes here before the room sees it. A frame
 * goes through only when the sender's token buckets (its connection's and its user's) hold a
 * token for it, and, for an update, when the group-commit queue has room for its document.
 * Otherwise the frame waits, the socket is paused (TCP pushes back on the client: nothing more is
 * read, so nothing piles up here), and the intake goes on once a token is due or the queue has
 * room. A client that stays over its rate for `relayRateLimitCloseAfterMs` is told to go (`onOverLimit`).
 */
import * as decoding from 'lib0/decoding';
import { MessageType, SyncType } from '$lib/sync/protocol';
import type { TokenBucket } from './token-bucket.js';
import type { Limits } from '$lib/server/config';

/** The DEFAULT_LIMITS an intake enforces, by their names there. */
export type IntakeLimits = Pick<Limits, 'relayRateLimitCloseAfterMs' | 'relayMaxHeldBytes' | 'relayMaxFramesPerTurn'>;

/** Which buckets a frame draws from: sync messages (updates, and step 1 whose answer costs work) or awareness. */
export type FrameKind = 'sync' | 'awareness';

/**
 * Reads a frame's kind, whether it carries an update (which is queued for commit), and whether it
 * is a sync step 1 (whose reply, up to the whole document, is charged by its size).
 */
export function classifyFrame(frame: Uint8Array): { kind: FrameKind; update: boolean; step1?: boolean } {
	try {
		const decoder = decoding.createDecoder(frame);
		const type = decoding.readVarUint(decoder);
		if (type === MessageType.Awareness || type === MessageType.QueryAwareness) return { kind: 'awareness', update: false };
		if (type !== MessageType.Sync) return { kind: 'sync', update: false };
		const syncType = decoding.readVarUint(decoder);
		return { kind: 'sync', update: syncType === SyncType.Step2 || syncType === SyncType.Update, step1: syncType === SyncType.Step1 };
	} catch {
		// Malformed: the room's decoder closes the connection; it costs a sync token on the way.
		return { kind: 'sync', update: false };
	}
}

/**
 * The buckets a connection draws from (its own and its user's); null: rate limits off. Per kind,
 * a token per frame; `bytes`: every frame's size (may go into debt, see TokenBucket.charge);
 * `replies`: a sync step 1 waits while these are in debt (the room charges its reply's size).
 */
export type IntakeBuckets =
	(Record<FrameKind, readonly TokenBucket[]> & { bytes?: readonly TokenBucket[]; replies?: readonly TokenBucket[] }) | null;

/** Counters over all intakes of a relay (tests and the abuse benchmark read them). */
export interface IntakeStats {
	/** Frames received, per kind. */
	syncFrames: number;
	awarenessFrames: number;
	/** Frames that had to wait for a token. */
	rateWaits: number;
	/** Frames that had to wait for room in the commit queue. */
	commitWaits: number;
	/** Connections closed for staying over their rate. */
	overLimitCloses: number;
	/** Frames that waited for a byte bucket / a step 1 that waited for the reply budget. */
	byteWaits: number;
	replyWaits: number;
	/** Sync step 1 frames over `relayStep1QueueMax` waiting behind a pending reply (the connection was closed). */
	step1Dropped: number;
	/** Step 2 replies served from the room's cached encoding. */
	step1CacheHits: number;
	/** Connections closed before encoding a reply: their send backlog was over half the limit. */
	step1BacklogCloses: number;
	/** Updates refused by L8 (the document would grow past relayDocMaxBytes). */
	docSizeRefusals: number;
	/** Connections closed after relayRefusalsBeforeClose refusals within relayRefusalWindowMs. */
	refusalCloses: number;
	/** Awareness frames refused for carrying more entries than the room's states plus the margin. */
	awarenessEntryRefusals: number;
	/** Query-awareness frames not answered (one answer per relayAwarenessQueryMinMs). */
	awarenessQueriesSkipped: number;
}

export function newIntakeStats(): IntakeStats {
	return {
		syncFrames: 0,
		awarenessFrames: 0,
		rateWaits: 0,
		commitWaits: 0,
		overLimitCloses: 0,
		byteWaits: 0,
		replyWaits: 0,
		step1Dropped: 0,
		step1CacheHits: 0,
		step1BacklogCloses: 0,
		docSizeRefusals: 0,
		refusalCloses: 0,
		awarenessEntryRefusals: 0,
		awarenessQueriesSkipped: 0
	};
}

export interface IntakeDeps {
	buckets: IntakeBuckets;
	/** Hands a frame to the room. */
	deliver(frame: Uint8Array): void;
	/** Stops / restarts reading the socket. */
	pause(): void;
	resume(): void;
	/** Whether the commit queue takes an update of this document now; else calls back when it does. */
	accepts(): boolean;
	whenAccepts(fn: () => void): () => void;
	/** The client stayed over its rate for `relayRateLimitCloseAfterMs`. */
	onOverLimit(): void;
	/** A frame arrived with more than `relayMaxHeldBytes` waiting already (the pause did not hold). */
	onOverflow(): void;
	/**
	 * How long over its rate before the close; bytes a paused connection may still hand over;
	 * frames passed on per turn of the event loop (then other sockets are read first).
	 */
	limits: IntakeLimits;
	stats: IntakeStats;
	now(): number;
}

/** A frame waits for tokens: how long, and whether a byte or reply bucket is (also) why. */
type RateWait = { rateMs: number; bytes: boolean; replies: boolean };

/** Bytes a waiting frame is counted as: small frames still cost an object each. */
const HELD_FRAME_OVERHEAD = 64;

export class Intake {
	readonly #held: Uint8Array[] = [];
	#heldBytes = 0;
	/** A timer or a commit-queue callback will pump; nothing else may. */
	#waiting = false;
	/** Since when the client has been over its rate without a break (null: it is not). */
	#overSince: number | null = null;
	#timer: NodeJS.Timeout | null = null;
	/** Cancels the commit-queue wait this intake registered, if any (on close). */
	#cancelWait: (() => void) | null = null;
	#closed = false;
	/** Frames passed on in this turn of the event loop (reset by a setImmediate). */
	#thisTurn = 0;
	#turnReset = false;

	constructor(private readonly deps: IntakeDeps) {}

	/** Whether frames are waiting (the socket is paused then). */
	get paused(): boolean {
		return this.#held.length > 0;
	}

	/** A frame from the client. */
	offer(frame: Uint8Array): void {
		if (this.#closed) return;
		const { kind } = classifyFrame(frame);
		if (kind === 'sync') this.deps.stats.syncFrames++;
		else this.deps.stats.awarenessFrames++;
		if (this.#held.length === 0) {
			// The usual path: nothing waits, the frame passes at once. A client that gets here is within
			// its rate now, so an earlier stretch over it has ended.
			const verdict = this.#admit(frame);
			if (verdict === 'ok') {
				this.#overSince = null;
				return this.#deliver(frame);
			}
		}
		this.#heldBytes += frame.byteLength + HELD_FRAME_OVERHEAD;
		this.#held.push(frame);
		if (this.#heldBytes > this.deps.limits.relayMaxHeldBytes) return this.deps.onOverflow();
		if (this.#held.length === 1) {
			this.deps.pause();
			this.#pump();
		}
	}

	/** The connection closed: forget what waits. */
	close(): void {
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#held.length = 0;
		this.#heldBytes = 0;
		this.#cancelWait?.();
		this.#cancelWait = null;
	}

	/** Passes waiting frames on while their tokens and queue room allow; then reads again. */
	#pump(): void {
		if (this.#waiting || this.#closed) return;
		while (this.#held.length > 0) {
			const frame = this.#held[0]!;
			const verdict = this.#admit(frame);
			if (verdict !== 'ok') return this.#wait(verdict);
			this.#held.shift();
			this.#heldBytes -= frame.byteLength + HELD_FRAME_OVERHEAD;
			this.#deliver(frame);
			if (this.#closed) return;
		}
		this.deps.resume();
	}

	#deliver(frame: Uint8Array): void {
		if (this.#thisTurn++ === 0 && !this.#turnReset) {
			this.#turnReset = true;
			setImmediate(() => {
				this.#turnReset = false;
				this.#thisTurn = 0;
			});
		}
		this.deps.deliver(frame);
	}

	/** Whether `frame` may pass now: takes its tokens if so. */
	#admit(frame: Uint8Array): 'ok' | RateWait | 'commit' | 'turn' {
		// ws hands over every frame of a socket read at once (hundreds from a flooder): past this
		// many, the rest wait for the next turn, so other sockets are served in between.
		if (this.#thisTurn >= this.deps.limits.relayMaxFramesPerTurn) return 'turn';
		const { kind, update, step1 } = classifyFrame(frame);
		if (update && !this.deps.accepts()) return 'commit';
		const all = this.deps.buckets;
		const buckets = all?.[kind];
		if (!all || !buckets) return 'ok';
		// Byte and reply buckets pass a frame while they are not in debt; it then pays its size.
		const bytes = all.bytes ?? [];
		const replies = step1 ? (all.replies ?? []) : [];
		let rateMs = 0;
		for (const bucket of buckets) rateMs = Math.max(rateMs, bucket.waitMs());
		for (const bucket of bytes) rateMs = Math.max(rateMs, bucket.waitMs());
		for (const bucket of replies) rateMs = Math.max(rateMs, bucket.waitMs());
		if (rateMs > 0) return { rateMs, bytes: bytes.some((b) => b.waitMs() > 0), replies: replies.some((b) => b.waitMs() > 0) };
		for (const bucket of buckets) bucket.take();
		for (const bucket of bytes) bucket.charge(frame.byteLength);
		return 'ok';
	}

	#wait(verdict: RateWait | 'commit' | 'turn'): void {
		this.#waiting = true;
		if (verdict === 'turn') {
			// After the poll phase has read the other sockets (and after the turn counter's reset).
			setImmediate(() =>
				setImmediate(() => {
					this.#waiting = false;
					this.#pump();
				})
			);
			return;
		}
		if (verdict === 'commit') {
			// Waiting for the server's storage is not the client's fault: that time is not counted
			// against it (see #overSince).
			this.deps.stats.commitWaits++;
			const since = this.deps.now();
			this.#cancelWait = this.deps.whenAccepts(() => {
				this.#cancelWait = null;
				if (this.#overSince !== null) this.#overSince += this.deps.now() - since;
				this.#waiting = false;
				this.#pump();
			});
			return;
		}
		this.deps.stats.rateWaits++;
		if (verdict.bytes) this.deps.stats.byteWaits++;
		if (verdict.replies) this.deps.stats.replyWaits++;
		const now = this.deps.now();
		this.#overSince ??= now;
		if (now - this.#overSince >= this.deps.limits.relayRateLimitCloseAfterMs) {
			this.deps.stats.overLimitCloses++;
			this.close();
			return this.deps.onOverLimit();
		}
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.#waiting = false;
			this.#pump();
		}, verdict.rateMs);
		this.#timer.unref();
	}
}
