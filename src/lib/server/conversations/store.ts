/**
 * Conversations and memberships in the database: the named queries behind `/api/conversations`.
 * The relay's access check reads the same tables (server/relay/access.ts). Changes that take a
 * decision on the current members (size limit, ownership) run under `lockConversation`.
 */
import type { Queryable } from '../db/index.js';

import type { ConversationKind, Role } from '../../shared/roles.js';
export type { ConversationKind };
export type MemberRole = Role;

/** A conversation row, as the checks need it. */
export interface ConversationRow {
	id: string;
	kind: ConversationKind;
	title: string;
	description: string;
	public: boolean;
	avatar_url: string | null;
}

/** A member to insert. */
export interface NewMember {
	userId: string;
	role: MemberRole;
}

const SQL = {
	insertConversation: `insert into conversations (id, kind, title, description, public, created_by, direct_key)
		values ($1, $2, $3, $4, $5, $6, $7)
		on conflict (direct_key) where direct_key is not null do nothing returning id`,
	// `joined_at` keeps the order of the list (one microsecond apart), so "oldest member" is defined.
	insertMembers: `insert into conversation_members (conversation_id, user_id, role, joined_at)
		select $1, m.user_id, m.role, now() + (m.n * interval '1 microsecond')
		from unnest($2::text[], $3::text[]) with ordinality as m(user_id, role, n)`,
	insertMember: `insert into conversation_members (conversation_id, user_id, role) values ($1, $2, $3)
		on conflict (conversation_id, user_id) do nothing returning user_id`,
	byDirectKey: `select id from conversations where direct_key = $1`,
	lock: `select id, kind, title, description, public, avatar_url from conversations where id = $1 for update`,
	get: `select id, kind, title, description, public, avatar_url from conversations where id = $1`,
	roleOf: `select role from conversation_members where conversation_id = $1 and user_id = $2`,
	count: `select count(*)::int as n from conversation_members where conversation_id = $1`,
	// Index-only over conversation_members_user; stops counting at the limit.
	// A direct conversation someone else opened does not count (issue 21 item 5): otherwise strangers
	// could fill a person's cap with direct chats, which need no consent, and lock them out.
	atLimit: `select u.id from unnest($1::text[]) as u(id)
		where (select count(*) from (select 1 from conversation_members m join conversations c on c.id = m.conversation_id
			where m.user_id = u.id and (c.kind <> 'direct' or c.created_by = u.id) limit $2) n) >= $2`,
	memberIds: `select user_id from conversation_members where conversation_id = $1`,
	removeMember: `delete from conversation_members where conversation_id = $1 and user_id = $2 returning role`,
	setRole: `update conversation_members set role = $3 where conversation_id = $1 and user_id = $2 returning user_id`,
	// The oldest admin, else the oldest other member (subscribers in a channel).
	successor: `select user_id from conversation_members where conversation_id = $1 and role <> 'owner'
		order by (role = 'admin') desc, joined_at, user_id limit 1`,
	update: `update conversations set
			title = coalesce($2, title),
			description = coalesce($3, description),
			public = coalesce($4, public)
		where id = $1`,
	setAvatarUrl: `update conversations set avatar_url = $2 where id = $1`,
	remove: `delete from conversations where id = $1`,
	settings: `update conversation_members set
			muted = coalesce($3, muted), pinned = coalesce($4, pinned), archived = coalesce($5, archived)
		where conversation_id = $1 and user_id = $2 returning muted, pinned, archived`
};

/** The key that makes a direct conversation unique per pair, whichever of the two starts it. */
export const directKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** Inserts a conversation; false when a direct one of the same pair exists already. */
export async function insertConversation(
	db: Queryable,
	row: {
		id: string;
		kind: ConversationKind;
		title: string;
		description: string;
		public: boolean;
		createdBy: string;
		directKey: string | null;
	}
): Promise<boolean> {
	const params = [row.id, row.kind, row.title, row.description, row.public, row.createdBy, row.directKey];
	return (await db.query(SQL.insertConversation, params)).length > 0;
}

/** Inserts the first members of a new conversation, in order. */
export async function insertMembers(db: Queryable, conversationId: string, members: readonly NewMember[]): Promise<void> {
	await db.query(SQL.insertMembers, [conversationId, members.map((m) => m.userId), members.map((m) => m.role)]);
}

/** Adds one member; false when they already were one. */
/** Which of `userIds` already belong to `limit` conversations or more. */
export async function usersAtConversationLimit(db: Queryable, userIds: readonly string[], limit: number): Promise<string[]> {
	if (userIds.length === 0) return [];
	return (await db.query<{ id: string }>(SQL.atLimit, [userIds, limit])).map((r) => r.id);
}

export async function insertMember(db: Queryable, conversationId: string, member: NewMember): Promise<boolean> {
	return (await db.query(SQL.insertMember, [conversationId, member.userId, member.role])).length > 0;
}

/** The direct conversation of a pair, if there is one. */
export async function directConversationId(db: Queryable, a: string, b: string): Promise<string | null> {
	const [row] = await db.query<{ id: string }>(SQL.byDirectKey, [directKey(a, b)]);
	return row?.id ?? null;
}

/**
 * The conversation, locked until the transaction ends: membership changes of one conversation
 * run one at a time, so two concurrent adds cannot both pass the size limit and two owners
 * cannot leave at once without a successor.
 */
export async function lockConversation(tx: Queryable, id: string): Promise<ConversationRow | null> {
	const [row] = await tx.query<ConversationRow>(SQL.lock, [id]);
	return row ?? null;
}

/** The conversation (unlocked), or null. */
export async function getConversation(db: Queryable, id: string): Promise<ConversationRow | null> {
	const [row] = await db.query<ConversationRow>(SQL.get, [id]);
	return row ?? null;
}

/** A member's role, or null. */
export async function roleIn(db: Queryable, conversationId: string, userId: string): Promise<MemberRole | null> {
	const [row] = await db.query<{ role: MemberRole }>(SQL.roleOf, [conversationId, userId]);
	return row?.role ?? null;
}

/** How many members a conversation has (owner and subscribers included). */
export async function memberCount(db: Queryable, conversationId: string): Promise<number> {
	return (await db.query<{ n: number }>(SQL.count, [conversationId]))[0]!.n;
}

/** The ids of every member. */
export async function memberIds(db: Queryable, conversationId: string): Promise<string[]> {
	return (await db.query<{ user_id: string }>(SQL.memberIds, [conversationId])).map((r) => r.user_id);
}

/** Removes a member; their former role, or null when they were none. */
export async function deleteMember(db: Queryable, conversationId: string, userId: string): Promise<MemberRole | null> {
	const [row] = await db.query<{ role: MemberRole }>(SQL.removeMember, [conversationId, userId]);
	return row?.role ?? null;
}

/** Changes a member's role. */
export async function updateRole(db: Queryable, conversationId: string, userId: string, role: MemberRole): Promise<void> {
	await db.query(SQL.setRole, [conversationId, userId, role]);
}

/** Who takes over when the owner leaves: the oldest admin, else the oldest member; null if nobody is left. */
export async function successorOf(db: Queryable, conversationId: string): Promise<string | null> {
	const [row] = await db.query<{ user_id: string }>(SQL.successor, [conversationId]);
	return row?.user_id ?? null;
}

/** Changes what is given of title, description and public. */
export async function updateConversation(
	db: Queryable,
	id: string,
	changes: { title?: string; description?: string; public?: boolean }
): Promise<void> {
	await db.query(SQL.update, [id, changes.title ?? null, changes.description ?? null, changes.public ?? null]);
}

/** Points the conversation at its current avatar (null: none). */
export async function setAvatarUrl(db: Queryable, id: string, url: string | null): Promise<void> {
	await db.query(SQL.setAvatarUrl, [id, url]);
}

/** Deletes the conversation with its members, invites and avatars (cascade). */
export async function deleteConversation(db: Queryable, id: string): Promise<void> {
	await db.query(SQL.remove, [id]);
}

/** A member's own flags. */
export interface MemberSettings {
	muted: boolean;
	pinned: boolean;
	archived: boolean;
}

/** Changes what is given of a member's flags; null when they are not a member. */
export async function updateSettings(
	db: Queryable,
	conversationId: string,
	userId: string,
	patch: Partial<MemberSettings>
): Promise<MemberSettings | null> {
	const params = [conversationId, userId, patch.muted ?? null, patch.pinned ?? null, patch.archived ?? null];
	const [row] = await db.query<MemberSettings>(SQL.settings, params);
	return row ?? null;
}
