/**
 * A client's writes to a conversation document as plain data, so that the outbox can replay the
 * ones the relay has not confirmed onto a fresh document after a refusal. Each kind is one of the
 * shared write helpers of `$lib/sync/doc-ops` (they refuse what the relay would refuse).
 */
import type * as Y from 'yjs';
import { appendMessage, deleteMessage, editMessage, markRead, pinMessage, setReaction, unpinMessage } from '../../sync/doc-ops.js';
import type { Envelope } from '../../sync/schema.js';

/** One write, replayable as its author on any copy of the document. */
export type WriteOp =
	| { kind: 'send'; envelope: Envelope }
	| { kind: 'edit'; messageId: string; text: string; editedAt: number }
	| { kind: 'delete'; messageId: string }
	| { kind: 'react'; messageId: string; emoji: string[] }
	| { kind: 'read'; messageId: string; at: number; device?: string }
	| { kind: 'pin'; messageId: string; at: number }
	| { kind: 'unpin'; messageId: string };

/** Applies `op` as `userId` in one transaction; throws SyncWriteError for a write the relay would refuse. */
export function applyWriteOp(doc: Y.Doc, userId: string, op: WriteOp): void {
	doc.transact(() => {
		switch (op.kind) {
			case 'send':
				return appendMessage(doc, op.envelope);
			case 'edit':
				return editMessage(doc, userId, op.messageId, op.text, op.editedAt);
			case 'delete':
				return deleteMessage(doc, userId, op.messageId);
			case 'react':
				return setReaction(doc, userId, op.messageId, op.emoji);
			case 'read':
				markRead(doc, userId, op.messageId, op.at, op.device);
				return;
			case 'pin':
				return pinMessage(doc, userId, op.messageId, op.at);
			case 'unpin':
				return unpinMessage(doc, op.messageId);
		}
	});
}

/** Applies `op` and returns the Yjs update it made, or null when it changed nothing (e.g. an old read). */
export function writeAndCapture(doc: Y.Doc, userId: string, op: WriteOp): Uint8Array | null {
	let update: Uint8Array | null = null;
	const capture = (u: Uint8Array) => (update = u);
	doc.on('update', capture);
	try {
		applyWriteOp(doc, userId, op);
	} finally {
		doc.off('update', capture);
	}
	return update;
}
