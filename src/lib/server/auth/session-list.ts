/**
 * A user's sessions as they see them (by public id), and ending sessions. Every ending goes
 * through `endSessions`, which emits `sessionsEnded` so the relay closes those sockets at once.
 */
import type { Queryable } from '../db/index.js';
import type { ParleyEvents } from '../events.js';

/** One entry of `GET /api/sessions`. */
export interface SessionView {
	id: string;
	current: boolean;
	createdAt: string;
	lastSeenAt: string;
	userAgent: string | null;
}

/** Expired sessions are swept at most this often (on sign-in; no timer to stop). */
const SWEEP_INTERVAL_MS = 3600_000;
let lastSweep = 0;

const SQL = {
	list: `select id, public_id, created_at, last_seen_at, user_agent from sessions
		where user_id = $1 and expires_at > $2 and not two_factor_pending order by last_seen_at desc`,
	idByPublicId: `select id from sessions where public_id = $1 and user_id = $2`,
	deleteIds: `delete from sessions where id = any($1::text[]) returning id`,
	deleteUserExcept: `delete from sessions where user_id = $1 and id <> $2 returning id`,
	deleteExpired: `delete from sessions where expires_at <= $1 returning id`
};

/** The signed-in sessions of a user, newest activity first; `current` marks the caller's. */
export async function listSessions(db: Queryable, input: { userId: string; currentId: string; now: number }): Promise<SessionView[]> {
	const rows = await db.query<{ id: string; public_id: string; created_at: Date; last_seen_at: Date; user_agent: string | null }>(
		SQL.list,
		[input.userId, new Date(input.now)]
	);
	return rows.map((row) => ({
		id: row.public_id,
		current: row.id === input.currentId,
		createdAt: new Date(row.created_at).toISOString(),
		lastSeenAt: new Date(row.last_seen_at).toISOString(),
		userAgent: row.user_agent
	}));
}

/** The internal id of a user's session named by its public id, or null. */
export async function sessionIdByPublicId(db: Queryable, userId: string, publicId: string): Promise<string | null> {
	const [row] = await db.query<{ id: string }>(SQL.idByPublicId, [publicId, userId]);
	return row?.id ?? null;
}

/** What ending sessions needs: the database and the event bus. */
export interface SessionEnder {
	db: Queryable;
	events: ParleyEvents;
}

/** Ends these sessions and tells the relay (sockets close); returns the ids that existed. */
export async function endSessions(deps: SessionEnder, sessionIds: string[]): Promise<string[]> {
	if (!sessionIds.length) return [];
	const ended = (await deps.db.query<{ id: string }>(SQL.deleteIds, [sessionIds])).map((row) => row.id);
	if (ended.length) deps.events.emit('sessionsEnded', { sessionIds: ended });
	return ended;
}

/** Ends every session of a user except `keepId` (null: all of them); returns the ended ids. */
export async function endUserSessions(deps: SessionEnder, userId: string, keepId: string | null): Promise<string[]> {
	const ended = (await deps.db.query<{ id: string }>(SQL.deleteUserExcept, [userId, keepId ?? ''])).map((row) => row.id);
	if (ended.length) deps.events.emit('sessionsEnded', { sessionIds: ended });
	return ended;
}

/** Deletes expired sessions if the last sweep is over an hour old (called on sign-in). */
export async function sweepExpiredSessions(deps: SessionEnder, now: number): Promise<void> {
	if (now - lastSweep < SWEEP_INTERVAL_MS) return;
	lastSweep = now;
	const ended = (await deps.db.query<{ id: string }>(SQL.deleteExpired, [new Date(now)])).map((row) => row.id);
	if (ended.length) deps.events.emit('sessionsEnded', { sessionIds: ended });
}
