/**
 * The outbox: local writes the relay has not confirmed yet, in order, and how to replay them on a
 * fresh document after a refusal (or after a reload), keeping only those the relay's own rules
 * still allow. With a journal, every pending write is also persisted under a stable key, so that a
 * reload, a crash or a closed tab loses nothing: the journal is replayed by the next session.
 */
import * as Y from 'yjs';
import { checkUpdate } from '../../sync/check-update.js';
import type { DocKind, Role, RuleId } from '../../sync/check-update.js';
import { findMessage, SyncWriteError } from '../../sync/doc-ops.js';
import { writeAndCapture, type WriteOp } from './write-ops.js';

/** A write as persisted: `key` is stable across replays and reloads and sorts in write order. */
export interface OutboxRecord {
	key: string;
	op: WriteOp;
}

/** A write waiting for the relay's confirmation; `seq` orders writes over the life of the outbox. */
export interface PendingWrite extends OutboxRecord {
	seq: number;
}

/**
 * Where pending writes are persisted (storage/outbox-store.ts). Calls are not awaited by the
 * outbox (writes stay synchronous for the UI); the journal keeps them in order and exposes its
 * own flush.
 */
export interface OutboxJournal {
	put(records: readonly OutboxRecord[]): void;
	delete(keys: readonly string[]): void;
}

/** Makes record keys that sort in write order, across sessions (time first, then a counter). */
export function createKeyMaker(now: () => number = Date.now, random: () => number = Math.random): () => string {
	let last = 0;
	let counter = 0;
	const tag = Math.floor(random() * 36 ** 4)
		.toString(36)
		.padStart(4, '0');
	return () => {
		const t = now();
		if (t === last) counter++;
		else [last, counter] = [t, 0];
		return `${t.toString(36).padStart(9, '0')}-${counter.toString(36).padStart(4, '0')}-${tag}`;
	};
}

/** A pending write that is no longer allowed, with the rule that refuses it now. */
export interface DroppedWrite {
	op: WriteOp;
	/** a rule of docs/sync-rules.md, or `write` when the shared helper itself refuses it (e.g. the message is gone) */
	rule: RuleId | 'write';
	reason: string;
}

/** Who replays: the user and what they may do now (their role may have changed meanwhile). */
export interface ReplayContext {
	userId: string;
	role: Role;
	kind: DocKind;
}

/** What a replay did with each write. */
export interface ReplayResult {
	resent: WriteOp[];
	dropped: DroppedWrite[];
	/** already true in the document (e.g. stored by the relay before a reload): kept pending, no write */
	already: WriteOp[];
}

/** Pending writes and their confirmation. */
export class Outbox {
	#pending: PendingWrite[] = [];
	#seq = 0;
	readonly #journal: OutboxJournal | undefined;
	readonly #key: () => string;

	constructor(options: { journal?: OutboxJournal; key?: () => string } = {}) {
		this.#journal = options.journal;
		this.#key = options.key ?? createKeyMaker();
	}

	/** Writes still waiting, oldest first. */
	get pending(): readonly PendingWrite[] {
		return this.#pending;
	}

	/** The sequence number of the newest write so far (0: none). */
	get lastSeq(): number {
		return this.#seq;
	}

	/** Applies `op` to `doc` and keeps it until confirmed; false when it changed nothing (nothing to send). */
	write(doc: Y.Doc, userId: string, op: WriteOp, key?: string): boolean {
		if (writeAndCapture(doc, userId, op) === null) return false;
		this.#keep({ key: key ?? this.#key(), op }, key === undefined);
		return true;
	}

	/** Makes a key for a write that waits outside the outbox for now (it is journaled by `journalOnly`). */
	newKey(): string {
		return this.#key();
	}

	/** Persists a write that is not applied yet (queued until the document is ready). */
	journalOnly(record: OutboxRecord): void {
		this.#journal?.put([record]);
	}

	/** The relay has handled every write up to `seq` without refusing it. */
	confirmThrough(seq: number): void {
		const done = this.#pending.filter((w) => w.seq <= seq);
		if (done.length === 0) return;
		this.#pending = this.#pending.filter((w) => w.seq > seq);
		this.#journal?.delete(done.map((w) => w.key));
	}

	/** Empties the outbox and returns what it held (the start of a replay); the journal keeps them. */
	takeAll(): OutboxRecord[] {
		const records = this.#pending.map(({ key, op }) => ({ key, op }));
		this.#pending = [];
		return records;
	}

	#keep(record: OutboxRecord, journal: boolean): void {
		this.#pending.push({ seq: ++this.#seq, ...record });
		if (journal) this.#journal?.put([record]);
	}

	/**
	 * Replays `ops` on `doc`, a fresh copy just synced from the relay: each is first tried on a
	 * scratch copy and checked with the relay's own `checkUpdate`, and written to `doc` (and so
	 * sent, and pending again) only if allowed. Returns what was resent and what was dropped.
	 */
	replay(doc: Y.Doc, records: readonly (OutboxRecord | WriteOp)[], ctx: ReplayContext): ReplayResult {
		const resent: WriteOp[] = [];
		const dropped: DroppedWrite[] = [];
		const already: WriteOp[] = [];
		const gone: string[] = [];
		let scratch = copyOf(doc);
		const writeCtx = {
			userId: ctx.userId,
			role: ctx.role,
			kind: ctx.kind,
			// our fresh client id is ours; any other id an op could touch would be someone else's
			clientOwner: (id: number) => (id === doc.clientID ? ctx.userId : undefined)
		};
		for (const item of records) {
			const { key, op } = 'key' in item ? item : { key: this.#key(), op: item };
			if (op.kind === 'send' && findMessage(doc, op.envelope.id)?.envelope.author === op.envelope.author) {
				// the relay (or this device's stored copy) has it already: sending it again would be
				// refused (R13, ids are forever). Kept pending: the next receipt confirms it.
				this.#keep({ key, op }, false);
				already.push(op);
				continue;
			}
			let update: Uint8Array | null;
			try {
				update = writeAndCapture(scratch, ctx.userId, op);
			} catch (error) {
				if (!(error instanceof SyncWriteError)) throw error;
				dropped.push({ op, rule: 'write', reason: error.message });
				gone.push(key);
				scratch = copyOf(doc);
				continue;
			}
			if (update === null) {
				// already true (e.g. an older read, a delete already made): nothing to send, but
				// kept until a receipt so that "true here" is never taken for "stored there"
				this.#keep({ key, op }, false);
				already.push(op);
				continue;
			}
			const verdict = checkUpdate(doc, update, writeCtx);
			if (!verdict.ok) {
				dropped.push({ op, rule: verdict.rule, reason: verdict.reason });
				gone.push(key);
				scratch = copyOf(doc); // the scratch copy holds the refused write: start again from doc
				continue;
			}
			if (writeAndCapture(doc, ctx.userId, op) !== null) this.#keep({ key, op }, false);
			resent.push(op);
		}
		scratch.destroy();
		if (gone.length > 0) this.#journal?.delete(gone);
		return { resent, dropped, already };
	}
}

/** A copy of `doc` that writes with the same client id (so its updates are what `doc` would send). */
function copyOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc({ gc: doc.gc });
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	// set after loading: Yjs changes the client id of a doc that receives structs of its own id
	copy.clientID = doc.clientID;
	return copy;
}
