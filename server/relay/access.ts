/**
 * Who may open which document, in what role: the relay's `authorize` hook, answered from the
 * database. Conversations: members only, in their role; inboxes: their owner only, read-only;
 * drafts: their owner only (R26).
 */
import type { Queryable } from '$lib/server/db';
import { parseDocName } from '$lib/server/doc-names';
import type { DocKind, Role } from '$lib/sync/check-update';

/** What a user may do in a document. */
export interface DocAccess {
	kind: DocKind;
	role: Role;
	/** false when the user turned read receipts off (R24) */
	readReceipts?: boolean;
}

/** The relay's authorization hook: access, or null for "may not open it". */
export type Authorize = (input: { userId: string; docName: string }) => Promise<DocAccess | null>;

const SQL = {
	membership: `select c.kind, m.role, u.privacy_read_receipts as read_receipts from conversations c
		join conversation_members m on m.conversation_id = c.id
		join users u on u.id = m.user_id
		where c.id = $1 and m.user_id = $2`
};

/** The authorize hook over the conversations tables. */
export function authorizeFromDatabase(db: Queryable): Authorize {
	return async ({ userId, docName }) => {
		const target = parseDocName(docName);
		if (!target) return null;
		// The inbox is read-only to its owner: kind 'inbox' makes every client write a refusal (R8).
		if (target.kind === 'inbox') return target.userId === userId ? { kind: 'inbox', role: 'member' } : null;
		// R26: a user's drafts are theirs alone; anyone else is refused at the upgrade (403)
		if (target.kind === 'drafts') return target.userId === userId ? { kind: 'drafts', role: 'member' } : null;
		const [row] = await db.query<{ kind: DocKind; role: Role; read_receipts: boolean }>(SQL.membership, [target.conversationId, userId]);
		return row ? { kind: row.kind, role: row.role, readReceipts: row.read_receipts } : null;
	};
}
