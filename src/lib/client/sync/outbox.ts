/**
 * The outbox: local writes the relay has not confirmed yet, in order, and how to replay them on a
 * fresh document after a refusal, keeping only those the relay's own rules still allow.
 */
import * as Y from 'yjs';
import { checkUpdate } from '../../sync/check-update.js';
import type { DocKind, Role, RuleId } from '../../sync/check-update.js';
import { SyncWriteError } from '../../sync/doc-ops.js';
import { writeAndCapture, type WriteOp } from './write-ops.js';

/** A write waiting for the relay's confirmation; `seq` orders writes over the life of the outbox. */
export interface PendingWrite {
	seq: number;
	op: WriteOp;
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

/** Pending writes and their confirmation. */
export class Outbox {
	#pending: PendingWrite[] = [];
	#seq = 0;

	/** Writes still waiting, oldest first. */
	get pending(): readonly PendingWrite[] {
		return this.#pending;
	}

	/** The sequence number of the newest write so far (0: none). */
	get lastSeq(): number {
		return this.#seq;
	}

	/** Applies `op` to `doc` and keeps it until confirmed; false when it changed nothing (nothing to send). */
	write(doc: Y.Doc, userId: string, op: WriteOp): boolean {
		if (writeAndCapture(doc, userId, op) === null) return false;
		this.#pending.push({ seq: ++this.#seq, op });
		return true;
	}

	/** The relay has handled every write up to `seq` without refusing it. */
	confirmThrough(seq: number): void {
		this.#pending = this.#pending.filter((w) => w.seq > seq);
	}

	/** Empties the outbox and returns what it held (the start of a replay). */
	takeAll(): WriteOp[] {
		const ops = this.#pending.map((w) => w.op);
		this.#pending = [];
		return ops;
	}

	/**
	 * Replays `ops` on `doc`, a fresh copy just synced from the relay: each is first tried on a
	 * scratch copy and checked with the relay's own `checkUpdate`, and written to `doc` (and so
	 * sent, and pending again) only if allowed. Returns what was resent and what was dropped.
	 */
	replay(doc: Y.Doc, ops: readonly WriteOp[], ctx: ReplayContext): { resent: WriteOp[]; dropped: DroppedWrite[] } {
		const resent: WriteOp[] = [];
		const dropped: DroppedWrite[] = [];
		let scratch = copyOf(doc);
		const writeCtx = {
			userId: ctx.userId,
			role: ctx.role,
			kind: ctx.kind,
			// our fresh client id is ours; any other id an op could touch would be someone else's
			clientOwner: (id: number) => (id === doc.clientID ? ctx.userId : undefined)
		};
		for (const op of ops) {
			let update: Uint8Array | null;
			try {
				update = writeAndCapture(scratch, ctx.userId, op);
			} catch (error) {
				if (!(error instanceof SyncWriteError)) throw error;
				dropped.push({ op, rule: 'write', reason: error.message });
				scratch = copyOf(doc);
				continue;
			}
			if (update === null) continue; // already true on the relay: nothing to send
			const verdict = checkUpdate(doc, update, writeCtx);
			if (!verdict.ok) {
				dropped.push({ op, rule: verdict.rule, reason: verdict.reason });
				scratch = copyOf(doc); // the scratch copy holds the refused write: start again from doc
				continue;
			}
			this.write(doc, ctx.userId, op);
			resent.push(op);
		}
		scratch.destroy();
		return { resent, dropped };
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
