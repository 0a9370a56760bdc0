/**
 * Push subscriptions and notification settings in PostgreSQL (migration 0070). A subscription
 * belongs to the session that made it and goes with it (foreign key): sign-out, a revoked session,
 * a password change, a disabled or deleted account all remove it without a call from here.
 */
import type { Queryable } from '../db/index.js';
import { randomId } from '../ids.js';

/** What a person chose: what a push shows, and what notifies beyond new messages. */
export interface NotificationSettings {
	/** `full`: sender and text; `name`: sender only; `none`: nothing but "New message". */
	preview: 'full' | 'name' | 'none';
	/** A mention of me or a reply to my message notifies even in a conversation I muted. */
	mentionsInMuted: boolean;
	/** A reaction to my message notifies. */
	reactions: boolean;
}

/** The settings of someone who never changed them. */
export const DEFAULT_SETTINGS: NotificationSettings = { preview: 'full', mentionsInMuted: true, reactions: false };

/** A subscription as the sender needs it. */
export interface SubscriptionTarget {
	id: string;
	userId: string;
	endpoint: string;
	p256dh: string;
	auth: string;
}

/** One of my devices, as the settings screen lists it. */
export interface DeviceView {
	id: string;
	/** The user agent of the session that subscribed (the screen makes a label of it), or null. */
	userAgent: string | null;
	/** Whether it is this device (the caller's session). */
	current: boolean;
	createdAt: string;
	lastSuccessAt: string | null;
	lastFailureAt: string | null;
}

// A subscription is used only while its session is alive and its user not disabled.
const LIVE = `s.expires_at is null or s.expires_at > now()`;

const SQL = {
	ownerOf: `select user_id from push_subscriptions where endpoint = $1`,
	// A browser keeps one endpoint per registration; a new session on the same device re-subscribes it.
	upsert: `insert into push_subscriptions (id, user_id, session_id, endpoint, p256dh, auth, expires_at)
		values ($1, $2, $3, $4, $5, $6, $7)
		on conflict (endpoint) do update set user_id = excluded.user_id, session_id = excluded.session_id,
			p256dh = excluded.p256dh, auth = excluded.auth, expires_at = excluded.expires_at, failures = 0
		where push_subscriptions.user_id = excluded.user_id
		returning (xmax = 0) as created`,
	trim: `delete from push_subscriptions where user_id = $1 and id in (
		select id from push_subscriptions where user_id = $1 order by created_at desc, id offset $2)`,
	removeEndpoint: `delete from push_subscriptions where user_id = $1 and endpoint = $2 returning id`,
	removeId: `delete from push_subscriptions where user_id = $1 and id = $2 returning id`,
	removeGone: `delete from push_subscriptions where id = $1`,
	list: `select p.id, p.session_id, p.created_at, p.last_success_at, p.last_failure_at, s.user_agent
		from push_subscriptions p join sessions s on s.id = p.session_id
		where p.user_id = $1 order by p.created_at desc, p.id`,
	live: `select p.id, p.user_id, p.endpoint, p.p256dh, p.auth
		from push_subscriptions p join sessions s on s.id = p.session_id join users u on u.id = p.user_id
		where p.user_id = any($1::text[]) and u.disabled_at is null and (${LIVE})
			and (p.expires_at is null or p.expires_at > now())
		order by p.user_id, p.created_at`,
	success: `update push_subscriptions set last_success_at = now(), failures = 0 where id = any($1::text[])`,
	failure: `update push_subscriptions set last_failure_at = now(), failures = failures + 1 where id = any($1::text[])`,
	settings: `select preview, mentions_in_muted, reactions from notification_settings where user_id = $1`,
	saveSettings: `insert into notification_settings (user_id, preview, mentions_in_muted, reactions, updated_at)
		values ($1, $2, $3, $4, now())
		on conflict (user_id) do update set preview = excluded.preview, mentions_in_muted = excluded.mentions_in_muted,
			reactions = excluded.reactions, updated_at = now()`
};

/** A subscription to store: the browser's PushSubscription.toJSON(), checked already. */
export interface NewSubscription {
	userId: string;
	sessionId: string;
	endpoint: string;
	p256dh: string;
	auth: string;
	expiresAt: Date | null;
	/** Subscriptions one person keeps; their oldest beyond it are removed. */
	maxPerUser: number;
}

/**
 * Stores a subscription for this session; 'created', 'updated' (this endpoint was already mine),
 * or 'taken' (another person's: a device changes hands only by signing out, which removes it).
 */
export async function saveSubscription(db: Queryable, input: NewSubscription): Promise<'created' | 'updated' | 'taken'> {
	const [owner] = await db.query<{ user_id: string }>(SQL.ownerOf, [input.endpoint]);
	if (owner && owner.user_id !== input.userId) return 'taken';
	const [row] = await db.query<{ created: boolean }>(SQL.upsert, [
		randomId(),
		input.userId,
		input.sessionId,
		input.endpoint,
		input.p256dh,
		input.auth,
		input.expiresAt
	]);
	// No row: another person's subscription took this endpoint meanwhile (the update's condition).
	if (!row) return 'taken';
	await db.query(SQL.trim, [input.userId, input.maxPerUser]);
	return row.created ? 'created' : 'updated';
}

/** Removes my subscription with this endpoint; whether there was one. */
export async function removeSubscriptionByEndpoint(db: Queryable, userId: string, endpoint: string): Promise<boolean> {
	return (await db.query(SQL.removeEndpoint, [userId, endpoint])).length > 0;
}

/** Removes one of my subscriptions by id; whether there was one. */
export async function removeSubscriptionById(db: Queryable, userId: string, id: string): Promise<boolean> {
	return (await db.query(SQL.removeId, [userId, id])).length > 0;
}

/** Removes a subscription the push service says is gone (404/410). */
export async function removeGoneSubscription(db: Queryable, id: string): Promise<void> {
	await db.query(SQL.removeGone, [id]);
}

/** My subscribed devices, newest first. */
export async function listDevices(db: Queryable, userId: string, currentSessionId: string): Promise<DeviceView[]> {
	const rows = await db.query<{
		id: string;
		session_id: string;
		created_at: Date;
		last_success_at: Date | null;
		last_failure_at: Date | null;
		user_agent: string | null;
	}>(SQL.list, [userId]);
	const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
	return rows.map((r) => ({
		id: r.id,
		userAgent: r.user_agent,
		current: r.session_id === currentSessionId,
		createdAt: new Date(r.created_at).toISOString(),
		lastSuccessAt: iso(r.last_success_at),
		lastFailureAt: iso(r.last_failure_at)
	}));
}

/** The live subscriptions of these people (session alive, account enabled, not expired). */
export async function liveSubscriptions(db: Queryable, userIds: readonly string[]): Promise<SubscriptionTarget[]> {
	if (userIds.length === 0) return [];
	const rows = await db.query<{ id: string; user_id: string; endpoint: string; p256dh: string; auth: string }>(SQL.live, [userIds]);
	return rows.map((r) => ({ id: r.id, userId: r.user_id, endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth }));
}

/** Records pushes' fates on their subscriptions (shown on the devices list): one statement each way. */
export async function recordDeliveries(db: Queryable, succeeded: readonly string[], failed: readonly string[]): Promise<void> {
	if (succeeded.length) await db.query(SQL.success, [succeeded]);
	if (failed.length) await db.query(SQL.failure, [failed]);
}

/** A person's notification settings (the defaults when they never changed them). */
export async function getSettings(db: Queryable, userId: string): Promise<NotificationSettings> {
	const [row] = await db.query<{ preview: NotificationSettings['preview']; mentions_in_muted: boolean; reactions: boolean }>(SQL.settings, [
		userId
	]);
	return row ? { preview: row.preview, mentionsInMuted: row.mentions_in_muted, reactions: row.reactions } : { ...DEFAULT_SETTINGS };
}

/** Changes some settings; returns them all. */
export async function updateSettings(db: Queryable, userId: string, patch: Partial<NotificationSettings>): Promise<NotificationSettings> {
	const next = { ...(await getSettings(db, userId)), ...patch };
	await db.query(SQL.saveSettings, [userId, next.preview, next.mentionsInMuted, next.reactions]);
	return next;
}
