/**
 * Conversations and memberships in the database: the queries behind `/api/conversations` and the
 * relay's access checks. Access changes emit events so the relay can close sockets at once.
 */
import type { Queryable } from '../db/index.js';
import { randomId } from '../ids.js';
import { conversationDocName } from '../doc-names.js';

export type ConversationKind = 'direct' | 'group' | 'channel';
export type MemberRole = 'owner' | 'admin' | 'member' | 'subscriber';

/** The `conversation` object of SPEC §3, as seen by one member. */
export interface ConversationView {
	id: string;
	kind: ConversationKind;
	title: string;
	docName: string;
	role: MemberRole;
}

const SQL = {
	insertConversation: `insert into conversations (id, kind, title, created_by) values ($1, $2, $3, $4)`,
	insertMember: `insert into conversation_members (conversation_id, user_id, role) values ($1, $2, $3)
		on conflict (conversation_id, user_id) do update set role = excluded.role`,
	findDirect: `select c.id from conversations c
		join conversation_members a on a.conversation_id = c.id and a.user_id = $1
		join conversation_members b on b.conversation_id = c.id and b.user_id = $2
		where c.kind = 'direct' limit 1`,
	viewOne: `select c.id, c.kind, c.title, m.role from conversations c
		join conversation_members m on m.conversation_id = c.id and m.user_id = $2 where c.id = $1`,
	listForUser: `select c.id, c.kind, c.title, m.role from conversations c
		join conversation_members m on m.conversation_id = c.id and m.user_id = $1 order by c.created_at desc`,
	roleOf: `select role from conversation_members where conversation_id = $1 and user_id = $2`,
	removeMember: `delete from conversation_members where conversation_id = $1 and user_id = $2 returning role`,
	usersExist: `select id from users where id = any($1::text[])`
};

type Row = { id: string; kind: ConversationKind; title: string; role: MemberRole };
const view = (row: Row): ConversationView => ({ ...row, docName: conversationDocName(row.id) });

/** Creates a conversation with its members (the creator first, as owner). */
export async function createConversation(
	db: Queryable,
	input: { kind: ConversationKind; title: string; createdBy: string; members: Array<{ userId: string; role: MemberRole }> }
): Promise<ConversationView> {
	const id = randomId();
	await db.query(SQL.insertConversation, [id, input.kind, input.title, input.createdBy]);
	for (const member of input.members) await db.query(SQL.insertMember, [id, member.userId, member.role]);
	return (await viewConversation(db, id, input.createdBy))!;
}

/** The direct conversation between two users, if there is one. */
export async function findDirectConversation(db: Queryable, a: string, b: string): Promise<string | null> {
	const [row] = await db.query<{ id: string }>(SQL.findDirect, [a, b]);
	return row?.id ?? null;
}

/** A conversation as one member sees it, or null when they are not a member. */
export async function viewConversation(db: Queryable, id: string, userId: string): Promise<ConversationView | null> {
	const [row] = await db.query<Row>(SQL.viewOne, [id, userId]);
	return row ? view(row) : null;
}

/** Every conversation the user belongs to, newest first. */
export async function listConversations(db: Queryable, userId: string): Promise<ConversationView[]> {
	return (await db.query<Row>(SQL.listForUser, [userId])).map(view);
}

/** A member's role, or null. */
export async function roleIn(db: Queryable, conversationId: string, userId: string): Promise<MemberRole | null> {
	const [row] = await db.query<{ role: MemberRole }>(SQL.roleOf, [conversationId, userId]);
	return row?.role ?? null;
}

/** Adds (or re-roles) a member. */
export async function addMember(db: Queryable, conversationId: string, userId: string, role: MemberRole): Promise<void> {
	await db.query(SQL.insertMember, [conversationId, userId, role]);
}

/** Removes a member; true if they were one. */
export async function removeMember(db: Queryable, conversationId: string, userId: string): Promise<boolean> {
	return (await db.query(SQL.removeMember, [conversationId, userId])).length > 0;
}

/** Which of `ids` are users. */
export async function existingUsers(db: Queryable, ids: string[]): Promise<Set<string>> {
	return new Set((await db.query<{ id: string }>(SQL.usersExist, [ids])).map((r) => r.id));
}
