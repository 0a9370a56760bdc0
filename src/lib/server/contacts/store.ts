/** Contacts and blocks in the database: the named queries behind `/api/contacts`. */
import type { Queryable } from '../db/index.js';
import { publicUser, type PublicUser } from '../auth/types.js';

/** A contact as its owner sees it. */
export interface ContactView {
	user: PublicUser;
	/** the name I gave them, shown to me instead of their display name; null when unset */
	alias: string | null;
	createdAt: string;
}

const USER_COLUMNS = `u.id, u.username, u.display_name, u.avatar_url`;

const SQL = {
	list: `select ${USER_COLUMNS}, c.alias, c.created_at from contacts c join users u on u.id = c.contact_id
		where c.owner_id = $1 order by lower(coalesce(c.alias, u.display_name)), u.username`,
	one: `select ${USER_COLUMNS}, c.alias, c.created_at from contacts c join users u on u.id = c.contact_id
		where c.owner_id = $1 and c.contact_id = $2`,
	insert: `insert into contacts (owner_id, contact_id, alias) values ($1, $2, $3) on conflict do nothing returning contact_id`,
	setAlias: `update contacts set alias = $3 where owner_id = $1 and contact_id = $2 returning contact_id`,
	remove: `delete from contacts where owner_id = $1 and contact_id = $2 returning contact_id`,
	block: `insert into blocks (blocker_id, blocked_id) values ($1, $2) on conflict do nothing returning blocked_id`,
	unblock: `delete from blocks where blocker_id = $1 and blocked_id = $2 returning blocked_id`,
	blocked: `select ${USER_COLUMNS}, b.created_at from blocks b join users u on u.id = b.blocked_id
		where b.blocker_id = $1 order by b.created_at desc, u.id`,
	hasBlocked: `select 1 from blocks where blocker_id = $1 and blocked_id = $2`,
	userByUsername: `select id from users where username = $1`,
	userExists: `select id from users where id = $1`
};

interface ContactRow {
	id: string;
	username: string;
	display_name: string;
	avatar_url: string | null;
	alias: string | null;
	created_at: Date;
}

const userOf = (row: Omit<ContactRow, 'alias' | 'created_at'>) =>
	publicUser({ id: row.id, username: row.username, displayName: row.display_name, avatarUrl: row.avatar_url });
const toContact = (row: ContactRow): ContactView => ({
	user: userOf(row),
	alias: row.alias,
	createdAt: new Date(row.created_at).toISOString()
});

/** My contacts, by the name I see. */
export async function listContacts(db: Queryable, ownerId: string): Promise<ContactView[]> {
	return (await db.query<ContactRow>(SQL.list, [ownerId])).map(toContact);
}

/** One of my contacts, or null. */
export async function getContact(db: Queryable, ownerId: string, contactId: string): Promise<ContactView | null> {
	const [row] = await db.query<ContactRow>(SQL.one, [ownerId, contactId]);
	return row ? toContact(row) : null;
}

/** Adds a contact; false when they already were one (nothing changes then). */
export async function insertContact(db: Queryable, ownerId: string, contactId: string, alias: string | null): Promise<boolean> {
	return (await db.query(SQL.insert, [ownerId, contactId, alias])).length > 0;
}

/** Sets or clears the alias of a contact; false when they are not one. */
export async function setContactAlias(db: Queryable, ownerId: string, contactId: string, alias: string | null): Promise<boolean> {
	return (await db.query(SQL.setAlias, [ownerId, contactId, alias])).length > 0;
}

/** Removes a contact; false when they were not one. */
export async function deleteContact(db: Queryable, ownerId: string, contactId: string): Promise<boolean> {
	return (await db.query(SQL.remove, [ownerId, contactId])).length > 0;
}

/** Blocks a user; false when already blocked. */
export async function insertBlock(db: Queryable, blockerId: string, blockedId: string): Promise<boolean> {
	return (await db.query(SQL.block, [blockerId, blockedId])).length > 0;
}

/** Lifts a block; false when there was none. */
export async function deleteBlock(db: Queryable, blockerId: string, blockedId: string): Promise<boolean> {
	return (await db.query(SQL.unblock, [blockerId, blockedId])).length > 0;
}

/** Whether `blockerId` blocked `blockedId`. */
export async function hasBlocked(db: Queryable, blockerId: string, blockedId: string): Promise<boolean> {
	return (await db.query(SQL.hasBlocked, [blockerId, blockedId])).length > 0;
}

/** The people I blocked, newest first. */
export async function listBlocked(db: Queryable, blockerId: string): Promise<Array<{ user: PublicUser; blockedAt: string }>> {
	const rows = await db.query<Omit<ContactRow, 'alias'>>(SQL.blocked, [blockerId]);
	return rows.map((row) => ({ user: userOf(row), blockedAt: new Date(row.created_at).toISOString() }));
}

/** The id of the user with this (lower-cased) username, or null. */
export async function userIdByUsername(db: Queryable, username: string): Promise<string | null> {
	const [row] = await db.query<{ id: string }>(SQL.userByUsername, [username]);
	return row?.id ?? null;
}

/** Whether a user with this id exists. */
export async function userExists(db: Queryable, id: string): Promise<boolean> {
	return (await db.query(SQL.userExists, [id])).length > 0;
}
