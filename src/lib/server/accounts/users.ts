/** The users table: creating, finding, updating and searching people. */
import type { Queryable } from '../db/index.js';
import { ApiError, fieldError } from '../http-errors.js';
import { randomId } from '../ids.js';
import type { SessionUser, UserRole } from '../auth/types.js';

/** A user as stored, without the secrets (password hash, TOTP secret). */
export interface UserRecord extends SessionUser {
	email: string | null;
	twoFactorEnabled: boolean;
	createdAt: Date;
}

interface UserRow {
	id: string;
	username: string;
	display_name: string;
	avatar_url: string | null;
	role: UserRole;
	email: string | null;
	two_factor: boolean;
	created_at: Date;
}

const COLUMNS = `id, username, display_name, avatar_url, role, email, totp_secret is not null as two_factor, created_at`;

const SQL = {
	// The first account on a server becomes its admin; the unique username catches a double insert.
	insert: `insert into users (id, username, display_name, password_hash, email, role, created_at)
		select $1, $2, $3, $4, $5, case when exists (select 1 from users) then 'user' else 'admin' end, $6
		returning ${COLUMNS}`,
	byId: `select ${COLUMNS} from users where id = $1`,
	credentialsByLogin: `select id, username, password_hash from users where username = $1 or email = $1`,
	passwordHashById: `select password_hash from users where id = $1`,
	setPasswordHash: `update users set password_hash = $2 where id = $1`,
	count: `select count(*)::int as n from users`,
	list: `select ${COLUMNS} from users order by created_at, username limit $1`,
	updateProfile: `update users set
			display_name = coalesce($2, display_name),
			username = coalesce($3, username),
			email = case when $4::boolean then $5 else email end
		where id = $1 returning ${COLUMNS}`,
	// Escaped LIKE pattern ($2); exact and prefix matches on the username rank first.
	search: `select ${COLUMNS} from users
		where id <> $1 and (username like $2 escape '\\' or lower(display_name) like $2 escape '\\')
		order by (username = $3) desc, (username like $4 escape '\\') desc, username
		limit $5`
};

function toRecord(row: UserRow): UserRecord {
	return {
		id: row.id,
		username: row.username,
		displayName: row.display_name,
		avatarUrl: row.avatar_url,
		role: row.role,
		email: row.email,
		twoFactorEnabled: row.two_factor,
		createdAt: new Date(row.created_at)
	};
}

/** True for PostgreSQL's unique-violation error. */
function isUniqueViolation(error: unknown): error is { code: string; constraint?: string; message: string } {
	return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/** Turns a unique violation on username or email into the 409 a client understands. */
function conflictFrom(error: unknown): never {
	if (isUniqueViolation(error)) {
		const text = `${error.constraint ?? ''} ${error.message}`;
		if (text.includes('email')) throw fieldError('email', 'another account uses this address', 'email_taken', 409);
		throw fieldError('username', 'this name is taken', 'username_taken', 409);
	}
	throw error;
}

/** Creates a user (the first one becomes admin); 409 when the username or e-mail is taken. */
export async function createUser(
	db: Queryable,
	input: { username: string; displayName: string; passwordHash: string; email: string | null; now: number }
): Promise<UserRecord> {
	try {
		const [row] = await db.query<UserRow>(SQL.insert, [
			randomId(),
			input.username,
			input.displayName,
			input.passwordHash,
			input.email,
			new Date(input.now)
		]);
		return toRecord(row!);
	} catch (error) {
		conflictFrom(error);
	}
}

/** How many accounts exist (0 on a fresh server). */
export async function countUsers(db: Queryable): Promise<number> {
	return (await db.query<{ n: number }>(SQL.count))[0]!.n;
}

/** A user by id, or null. */
export async function getUser(db: Queryable, id: string): Promise<UserRecord | null> {
	const [row] = await db.query<UserRow>(SQL.byId, [id]);
	return row ? toRecord(row) : null;
}

/** The id and password hash for a username or e-mail (lower-cased), for sign-in only. */
export async function credentialsByLogin(
	db: Queryable,
	login: string
): Promise<{ id: string; username: string; passwordHash: string } | null> {
	const [row] = await db.query<{ id: string; username: string; password_hash: string }>(SQL.credentialsByLogin, [
		login.trim().toLowerCase()
	]);
	return row ? { id: row.id, username: row.username, passwordHash: row.password_hash } : null;
}

/** The stored password hash of a user (never leaves the server). */
export async function passwordHashOf(db: Queryable, userId: string): Promise<string | null> {
	const [row] = await db.query<{ password_hash: string }>(SQL.passwordHashById, [userId]);
	return row?.password_hash ?? null;
}

/** Replaces a user's password hash. */
export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<void> {
	await db.query(SQL.setPasswordHash, [userId, passwordHash]);
}

/** Changes display name, username and/or e-mail (`email: null` removes it); 409 on a taken name. */
export async function updateProfile(
	db: Queryable,
	userId: string,
	changes: { displayName?: string; username?: string; email?: string | null }
): Promise<UserRecord> {
	try {
		const [row] = await db.query<UserRow>(SQL.updateProfile, [
			userId,
			changes.displayName ?? null,
			changes.username ?? null,
			changes.email !== undefined,
			changes.email ?? null
		]);
		if (!row) throw new ApiError(404, 'not_found', 'No such user');
		return toRecord(row);
	} catch (error) {
		conflictFrom(error);
	}
}

/** Users whose username or display name contains `query` (ignoring case), the caller excluded. */
export async function searchUsers(db: Queryable, input: { query: string; excludeId: string; limit: number }): Promise<UserRecord[]> {
	const needle = input.query.trim().toLowerCase();
	const escaped = needle.replace(/[\\%_]/g, (ch) => '\\' + ch);
	const rows = await db.query<UserRow>(SQL.search, [input.excludeId, `%${escaped}%`, needle, `${escaped}%`, input.limit]);
	return rows.map(toRecord);
}

/** Every account, oldest first, up to `limit` (the admin's list). */
export async function listUsers(db: Queryable, limit: number): Promise<UserRecord[]> {
	return (await db.query<UserRow>(SQL.list, [limit])).map(toRecord);
}
