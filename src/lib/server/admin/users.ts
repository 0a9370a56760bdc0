/**
 * Accounts as an admin manages them: search and view, disable/enable (sessions and sockets end at
 * once; sign-in refused), promote/demote, turn off 2FA, delete. Every change is audited.
 *
 * Deleting an account (by an admin, or by its owner from settings): the person leaves every group
 * and channel as if they left themselves (an owner hands over to the next admin or oldest member;
 * a conversation left empty is deleted), every session ends, and the account row goes with its
 * sessions, memberships, contacts, blocks, recovery codes and avatars. Their messages stay in
 * the conversations (other people's copies are theirs too); clients show their author as a
 * deleted account. Direct conversations stay with the other person.
 */
import type { Runtime } from '../runtime.js';
import type { Queryable } from '../db/types.js';
import { ApiError } from '../http-errors.js';
import { endUserSessions } from '../auth/session-list.js';
import { disableTotp } from '../auth/two-factor.js';
import { leaveConversation } from '../conversations/members.js';
import { audit } from './audit.js';

export type AdminDeps = Pick<Runtime, 'db' | 'docs' | 'events' | 'log' | 'now' | 'config'>;
type Admin = { id: string; username: string };

export interface AdminUserView {
	id: string;
	username: string;
	displayName: string;
	role: 'admin' | 'user';
	disabled: boolean;
	demo: boolean;
	twoFactorEnabled: boolean;
	createdAt: string;
	lastSeenAt: string | null;
	conversations: number;
	sessions: number;
	/** Bytes of uploads they made (what counts against `uploadQuotaBytes`). */
	storageBytes: number;
}

/**
 * Arbitrary constant naming the lock every change of who is an enabled admin takes (demote,
 * disable, delete): the "is this the last admin?" check and the change commit together, so two
 * admins demoting, disabling or deleting each other at once leave one admin, never none.
 */
const ADMIN_LOCK_KEY = 7_246_310_021;

const COLUMNS = `u.id, u.username, u.display_name, u.role, u.disabled_at, u.demo, u.totp_secret is not null as two_factor,
	u.created_at, greatest(u.last_seen_at, (select max(s.last_seen_at) from sessions s where s.user_id = u.id)) as last_seen_at,
	(select count(*)::int from conversation_members m where m.user_id = u.id) as conversations,
	(select count(*)::int from sessions s where s.user_id = u.id) as sessions,
	(select coalesce(sum(up.size), 0)::bigint::text from uploads up where up.uploader_id = u.id) as storage_bytes`;

const SQL = {
	disabled: `select disabled_at is not null as disabled from users where id = $1`,
	search: `select ${COLUMNS} from users u
		where $1 = '' or u.username ilike '%' || $1 || '%' or u.display_name ilike '%' || $1 || '%'
		order by u.created_at, u.username limit $2`,
	one: `select ${COLUMNS} from users u where u.id = $1`,
	setDisabled: `update users set disabled_at = $2 where id = $1`,
	setRole: `update users set role = $2 where id = $1`,
	admins: `select count(*)::int as n from users where role = 'admin' and disabled_at is null`,
	lockAdmins: `select pg_advisory_xact_lock(${ADMIN_LOCK_KEY})`,
	isActiveAdmin: `select 1 from users where id = $1 and role = 'admin' and disabled_at is null`,
	claimForDeletion: `update users set disabled_at = coalesce(disabled_at, $2) where id = $1`,
	groups: `select m.conversation_id as id from conversation_members m join conversations c on c.id = m.conversation_id
		where m.user_id = $1 and c.kind <> 'direct'`,
	remove: `delete from users where id = $1`
};

interface Row {
	id: string;
	username: string;
	display_name: string;
	role: 'admin' | 'user';
	disabled_at: Date | null;
	demo: boolean;
	two_factor: boolean;
	created_at: Date | string;
	last_seen_at: Date | string | null;
	conversations: number;
	sessions: number;
	storage_bytes: string;
}

const view = (row: Row): AdminUserView => ({
	id: row.id,
	username: row.username,
	displayName: row.display_name,
	role: row.role,
	disabled: row.disabled_at !== null,
	demo: row.demo,
	twoFactorEnabled: row.two_factor,
	createdAt: new Date(row.created_at).toISOString(),
	lastSeenAt: row.last_seen_at ? new Date(row.last_seen_at).toISOString() : null,
	conversations: row.conversations,
	sessions: row.sessions,
	storageBytes: Number(row.storage_bytes)
});

/** True when the account is disabled (sign-in refuses it). */
export async function isDisabled(db: Queryable, userId: string): Promise<boolean> {
	return (await db.query<{ disabled: boolean }>(SQL.disabled, [userId]))[0]?.disabled ?? false;
}

/** Accounts whose username or display name contains `q` (all when empty). */
export async function searchAccounts(db: Queryable, q: string, limit: number): Promise<AdminUserView[]> {
	// ILIKE wildcards in the query are matched literally.
	const literal = q
		.trim()
		.toLowerCase()
		.replace(/[\\%_]/g, (c) => `\\${c}`);
	return (await db.query<Row>(SQL.search, [literal, limit])).map(view);
}

/** One account, or 404. */
export async function accountOf(db: Queryable, id: string): Promise<AdminUserView> {
	const [row] = await db.query<Row>(SQL.one, [id]);
	if (!row) throw new ApiError(404, 'not_found', 'No such user');
	return view(row);
}

function notSelf(admin: Admin, id: string, what: string) {
	if (admin.id === id) throw new ApiError(409, 'self', `You cannot ${what} your own account here`);
}

/**
 * Runs `change` under the admin lock after checking, in the same transaction, that `actor` (when
 * given) is still an enabled admin and that `losing` (an account about to stop being an enabled
 * admin) is not the last one. 403 `forbidden` / 409 `last_admin` otherwise.
 */
async function asAdminChange(rt: AdminDeps, actor: Admin | null, losing: string | null, change: (tx: Queryable) => Promise<void>) {
	await rt.db.transaction(async (tx) => {
		await tx.query(SQL.lockAdmins);
		// Each statement below sees everything committed before the lock was granted.
		if (actor && (await tx.query(SQL.isActiveAdmin, [actor.id])).length === 0)
			throw new ApiError(403, 'forbidden', 'Only an administrator may do this');
		if (losing && (await tx.query(SQL.isActiveAdmin, [losing])).length > 0) {
			const n = (await tx.query<{ n: number }>(SQL.admins))[0]?.n ?? 0;
			if (n <= 1) throw new ApiError(409, 'last_admin', 'The last administrator cannot lose that role; promote someone first');
		}
		await change(tx);
	});
}

/** Disables (sessions and sync sockets end at once) or enables an account. */
export async function setDisabled(rt: AdminDeps, admin: Admin, id: string, disabled: boolean): Promise<AdminUserView> {
	notSelf(admin, id, 'disable');
	const target = await accountOf(rt.db, id);
	await asAdminChange(rt, admin, disabled ? id : null, async (tx) => {
		await tx.query(SQL.setDisabled, [id, disabled ? new Date(rt.now()) : null]);
	});
	if (disabled) await endUserSessions(rt, id, null);
	await audit(rt.db, { admin, action: disabled ? 'user.disable' : 'user.enable', target: target.username, now: rt.now() });
	return accountOf(rt.db, id);
}

/** Promotes to admin or demotes to user (never oneself: a server always keeps an admin). */
export async function setRole(rt: AdminDeps, admin: Admin, id: string, role: 'admin' | 'user'): Promise<AdminUserView> {
	notSelf(admin, id, 'change the role of');
	const target = await accountOf(rt.db, id);
	await asAdminChange(rt, admin, role === 'user' ? id : null, async (tx) => {
		await tx.query(SQL.setRole, [id, role]);
	});
	await audit(rt.db, { admin, action: role === 'admin' ? 'user.promote' : 'user.demote', target: target.username, now: rt.now() });
	return accountOf(rt.db, id);
}

/** Turns off two-factor sign-in (lost phone and recovery codes); for one's own account the caller checks the password first. */
export async function turnOffTwoFactor(rt: AdminDeps, admin: Admin, id: string): Promise<AdminUserView> {
	const target = await accountOf(rt.db, id);
	await disableTotp(rt.db, id);
	await audit(rt.db, { admin, action: 'user.2fa_off', target: target.username, now: rt.now() });
	return accountOf(rt.db, id);
}

/** Deletes an account as documented above; `admin` null when people delete their own. */
export async function deleteAccount(rt: AdminDeps, admin: Admin | null, id: string): Promise<void> {
	if (admin) notSelf(admin, id, 'delete');
	const target = await accountOf(rt.db, id);
	// The last-admin check and the account's disabling (it is on its way out: no sign-in, and no
	// longer counted as an admin) commit together; the rest of the deletion follows.
	await asAdminChange(rt, admin, id, async (tx) => {
		await tx.query(SQL.claimForDeletion, [id, new Date(rt.now())]);
	});
	for (const { id: conversationId } of await rt.db.query<{ id: string }>(SQL.groups, [id])) await leaveConversation(rt, id, conversationId);
	await endUserSessions(rt, id, null);
	await rt.db.query(SQL.remove, [id]);
	if (admin) await audit(rt.db, { admin, action: 'user.delete', target: target.username, now: rt.now() });
	rt.log.info({ userId: id, by: admin?.id ?? 'self' }, 'account deleted');
}
