/** Invite links for REGISTRATION=invite: made by an admin, each creates one account. */
import type { Queryable } from '../db/index.js';
import { ApiError, fieldError } from '../http-errors.js';
import { randomId } from '../ids.js';
import { hashToken, newLinkToken } from '../auth/tokens.js';

/** The page an invite link opens (query `invite`). */
export const INVITE_PAGE_PATH = '/register';

/** An invite as admins list it (never with its token). */
export interface InviteView {
	id: string;
	createdAt: string;
	expiresAt: string;
	usedAt: string | null;
	usedBy: string | null;
}

interface InviteRow {
	id: string;
	created_at: Date;
	expires_at: Date;
	used_at: Date | null;
	used_by: string | null;
}

const SQL = {
	insert: `insert into invites (id, token_hash, created_by, created_at, expires_at) values ($1, $2, $3, $4, $5)
		returning id, created_at, expires_at, used_at, used_by`,
	list: `select id, created_at, expires_at, used_at, used_by from invites order by created_at desc limit 200`,
	delete: `delete from invites where id = $1 returning id`,
	peek: `select id from invites where token_hash = $1 and used_at is null and expires_at > $2`,
	claim: `update invites set used_at = $2, used_by = $3 where token_hash = $1 and used_at is null and expires_at > $2 returning id`
};

function toView(row: InviteRow): InviteView {
	return {
		id: row.id,
		createdAt: new Date(row.created_at).toISOString(),
		expiresAt: new Date(row.expires_at).toISOString(),
		usedAt: row.used_at ? new Date(row.used_at).toISOString() : null,
		usedBy: row.used_by
	};
}

/** Creates an invite; its URL carries the token, which is not stored. */
export async function createInvite(
	db: Queryable,
	input: { createdBy: string; now: number; ttlMs: number; origin: string }
): Promise<{ invite: InviteView; url: string }> {
	const { token, hash } = newLinkToken();
	const [row] = await db.query<InviteRow>(SQL.insert, [
		randomId(),
		hash,
		input.createdBy,
		new Date(input.now),
		new Date(input.now + input.ttlMs)
	]);
	return { invite: toView(row!), url: `${input.origin}${INVITE_PAGE_PATH}?invite=${token}` };
}

/** The invites, newest first. */
export async function listInvites(db: Queryable): Promise<InviteView[]> {
	return (await db.query<InviteRow>(SQL.list)).map(toView);
}

/** Withdraws an invite; 404 if there is none. */
export async function deleteInvite(db: Queryable, id: string): Promise<void> {
	if (!(await db.query(SQL.delete, [id])).length) throw new ApiError(404, 'not_found', 'No such invite');
}

/** True while an invite token can still be used. */
export async function inviteIsValid(db: Queryable, token: string, now: number): Promise<boolean> {
	return (await db.query(SQL.peek, [hashToken(token), new Date(now)])).length === 1;
}

/** Uses up an invite for a new user (inside the registering transaction); 403 if invalid. */
export async function claimInvite(db: Queryable, input: { token: string; userId: string; now: number }): Promise<void> {
	const rows = await db.query(SQL.claim, [hashToken(input.token), new Date(input.now), input.userId]);
	if (!rows.length) throw fieldError('invite', 'this invite link is invalid, used or expired', 'invalid_invite', 403);
}
