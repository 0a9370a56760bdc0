/**
 * Sessions the Lucia way (the design its author documents since deprecating the package):
 * a random token goes to the client in an HttpOnly cookie, only its SHA-256 is stored, and that
 * hash is the session's id. Sessions last 30 days and are renewed when used in their last 15.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Queryable } from '../db/index.js';
import type { Limits } from '../config.js';
import { randomId, randomToken } from '../ids.js';
import type { SessionInfo, SessionUser } from './types.js';

/** The session cookie's name (SPEC §3). */
export const SESSION_COOKIE = 'session';

/** How often last-seen is written for an active session (avoids a write per request). */
const LAST_SEEN_RESOLUTION_MS = 60_000;
/** Longest stored user agent (a client controls it; the sessions list shows it). */
const USER_AGENT_MAX = 512;

const SQL = {
	insert: `insert into sessions (id, public_id, user_id, expires_at, two_factor_pending, user_agent, created_at, last_seen_at)
		values ($1, $7, $2, $3, $4, $5, $6, $6)`,
	selectWithUser: `select s.id, s.user_id, s.expires_at, s.two_factor_pending, s.last_seen_at,
			u.username, u.display_name, u.avatar_url, u.role
		from sessions s join users u on u.id = s.user_id where s.id = $1 and u.disabled_at is null`,
	delete: `delete from sessions where id = $1`,
	adminActive: `select 1 from sessions s join users u on u.id = s.user_id
		where s.id = $1 and s.expires_at > $2 and not s.two_factor_pending and u.disabled_at is null and u.role = 'admin'`,
	renew: `update sessions set expires_at = $2, last_seen_at = $3 where id = $1`,
	touch: `update sessions set last_seen_at = $2 where id = $1`
};

/** The stored id of a session: the hex SHA-256 of its token. */
export function sessionIdOf(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Creates a session; returns the token for the cookie (never stored) and the session. */
export async function createSession(
	db: Queryable,
	input: { userId: string; twoFactorPending: boolean; userAgent: string | null; now: number; limits: Limits }
): Promise<{ token: string; session: SessionInfo }> {
	const token = randomToken();
	const session: SessionInfo = {
		id: sessionIdOf(token),
		userId: input.userId,
		expiresAt: new Date(input.now + input.limits.sessionTtlMs),
		twoFactorPending: input.twoFactorPending
	};
	await db.query(SQL.insert, [
		session.id,
		session.userId,
		session.expiresAt,
		session.twoFactorPending,
		input.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
		new Date(input.now),
		randomId()
	]);
	return { token, session };
}

interface SessionRow {
	id: string;
	user_id: string;
	expires_at: Date;
	two_factor_pending: boolean;
	last_seen_at: Date;
	username: string;
	display_name: string;
	avatar_url: string | null;
	role: 'admin' | 'user';
}

/** Checks a token: the session and its user, renewed if due, or null (expired ones are deleted). */
export async function validateSessionToken(
	db: Queryable,
	token: string,
	now: number,
	limits: Limits
): Promise<{ session: SessionInfo; user: SessionUser; renewed: boolean } | null> {
	if (!/^[a-z2-7]{16,64}$/.test(token)) return null;
	const id = sessionIdOf(token);
	const [row] = await db.query<SessionRow>(SQL.selectWithUser, [id]);
	if (!row) return null;
	const expiresAt = new Date(row.expires_at).getTime();
	if (now >= expiresAt) {
		await db.query(SQL.delete, [id]);
		return null;
	}
	let renewed = false;
	let newExpiry = expiresAt;
	if (expiresAt - now < limits.sessionRenewWithinMs) {
		newExpiry = now + limits.sessionTtlMs;
		await db.query(SQL.renew, [id, new Date(newExpiry), new Date(now)]);
		renewed = true;
	} else if (now - new Date(row.last_seen_at).getTime() > LAST_SEEN_RESOLUTION_MS) {
		await db.query(SQL.touch, [id, new Date(now)]);
	}
	return {
		session: { id, userId: row.user_id, expiresAt: new Date(newExpiry), twoFactorPending: row.two_factor_pending },
		user: {
			id: row.user_id,
			username: row.username,
			displayName: row.display_name,
			avatarUrl: row.avatar_url,
			role: row.role
		},
		renewed
	};
}

/** True while the session is live, fully signed in, and its user an enabled admin (long-lived admin streams re-check this). */
export async function isAdminSessionActive(db: Queryable, sessionId: string, now: number): Promise<boolean> {
	return (await db.query(SQL.adminActive, [sessionId, new Date(now)])).length > 0;
}

/** Ends one session. */
export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
	await db.query(SQL.delete, [sessionId]);
}

/** Reads the session token from a Cookie header (for the relay's upgrade, outside SvelteKit). */
export function sessionTokenFromCookieHeader(header: string | undefined): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim());
	}
	return null;
}
