/**
 * Who may open which document, in what role: the relay's `authorize` hook, answered from the
 * database. Conversations: members only, in their role; inboxes: their owner only, read-only.
 * It also says what a block (R25) and the user's `lastSeenVisibleTo` (A7) leave them there.
 * Drafts: their owner only (R26).
 */
import type { Queryable } from '$lib/server/db';
import { parseDocName } from '$lib/server/doc-names';
import type { DocKind, Role } from '$lib/sync/check-update';
import type { AwarenessVisibility } from '$lib/sync/awareness-filter';

/** What a user may do in a document. */
export interface DocAccess {
	kind: DocKind;
	role: Role;
	/** false when the user turned read receipts off (R24) */
	readReceipts?: boolean;
	/** direct conversations: the other person */
	partnerId?: string;
	/** a direct conversation between people one of whom blocked the other: nobody writes (R25) */
	blocked?: boolean;
	/** how much of the user's awareness the others hear (A7); absent: all of it */
	awareness?: AwarenessVisibility;
}

/** The relay's authorization hook: access, or null for "may not open it". */
export type Authorize = (input: { userId: string; docName: string }) => Promise<DocAccess | null>;

const SQL = {
	// blocks_member: a block either way with another member. non_contact: another member is not in
	// the user's contacts (asked only when their presence is for contacts; `exists` stops at the first).
	membership: `select c.kind, m.role, u.privacy_read_receipts as read_receipts, u.privacy_last_seen as last_seen,
			(select o.user_id from conversation_members o
				where c.kind = 'direct' and o.conversation_id = c.id and o.user_id <> m.user_id limit 1) as partner_id,
			exists (select 1 from blocks b join conversation_members o on o.conversation_id = c.id and o.user_id = b.blocked_id
				where b.blocker_id = m.user_id)
			or exists (select 1 from blocks b join conversation_members o on o.conversation_id = c.id and o.user_id = b.blocker_id
				where b.blocked_id = m.user_id) as blocks_member,
			case when u.privacy_last_seen = 'contacts' then exists (select 1 from conversation_members o
				where o.conversation_id = c.id and o.user_id <> m.user_id
					and not exists (select 1 from contacts k where k.owner_id = m.user_id and k.contact_id = o.user_id))
			else false end as non_contact
		from conversations c
		join conversation_members m on m.conversation_id = c.id
		join users u on u.id = m.user_id
		where c.id = $1 and m.user_id = $2`
};

interface MembershipRow {
	kind: DocKind;
	role: Role;
	read_receipts: boolean;
	last_seen: 'everyone' | 'contacts' | 'nobody';
	partner_id: string | null;
	blocks_member: boolean;
	non_contact: boolean;
}

/**
 * A7: a conversation's awareness is one broadcast to all its members, so a person is announced
 * there only if every other member may see their presence; otherwise only their typing passes
 * (to the people they write to). Between a blocked pair in a direct conversation nothing passes:
 * they cannot write to each other either (R25).
 */
export function awarenessVisibility(row: Pick<MembershipRow, 'kind' | 'last_seen' | 'blocks_member' | 'non_contact'>): AwarenessVisibility {
	if (row.kind === 'direct' && row.blocks_member) return 'none';
	if (row.last_seen === 'nobody' || row.non_contact || row.blocks_member) return 'typing';
	return 'all';
}

/** The authorize hook over the conversations tables. */
export function authorizeFromDatabase(db: Queryable): Authorize {
	return async ({ userId, docName }) => {
		const target = parseDocName(docName);
		if (!target) return null;
		// The inbox is read-only to its owner: kind 'inbox' makes every client write a refusal (R8).
		if (target.kind === 'inbox') return target.userId === userId ? { kind: 'inbox', role: 'member' } : null;
		// R26: a user's drafts are theirs alone; anyone else is refused at the upgrade (403)
		if (target.kind === 'drafts') return target.userId === userId ? { kind: 'drafts', role: 'member' } : null;
		const [row] = await db.query<MembershipRow>(SQL.membership, [target.conversationId, userId]);
		if (!row) return null;
		return {
			kind: row.kind,
			role: row.role,
			readReceipts: row.read_receipts,
			...(row.partner_id ? { partnerId: row.partner_id } : {}),
			blocked: row.kind === 'direct' && row.blocks_member,
			awareness: awarenessVisibility(row)
		};
	};
}
