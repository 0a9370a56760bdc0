/**
 * The figures of the admin panel and `GET /api/admin/stats`: counts from the database (one
 * statement each, all cheap aggregates), sizes on disk, and the relay's own figures.
 */
import path from 'node:path';
import type { Queryable } from '../db/types.js';
import type { RelayStats } from './types.js';
import { directorySize } from './files.js';
import { diskSpace } from '../uploads/quota.js';

export interface AdminStats {
	users: { total: number; onlineNow: number; signedUpThisWeek: number; disabled: number; demoAccounts: boolean };
	messages: { today: number; total: number };
	conversations: { direct: number; group: number; channel: number; total: number };
	channels: number;
	database: { kind: 'embedded' | 'postgres'; bytes: number };
	/** Committed upload files only (never `tmp/*.part`); `incomplete` when the folder could not be read whole. */
	uploads: { bytes: number; files: number; incomplete?: true };
	/**
	 * The disk under DATA_DIR: `low` when free space is under `floorBytes` (DISK_FREE_FLOOR_BYTES),
	 * so uploads are refused (507 `storage_full`) while messages go on; null when it cannot be read.
	 */
	disk: { freeBytes: number; totalBytes: number; floorBytes: number; low: boolean } | null;
	relay: RelayStats;
	/** Messages per hour over the last 24 hours, oldest first: `{hour: ISO start of the hour, count}`. */
	messagesPerHour: { hour: string; count: number }[];
	generatedAt: string;
}

/** Usernames `npm run demo` creates with passwords below the policy (the panel warns about them). */
export const DEMO_USERNAMES = ['admin', 'user1', 'user2'] as const;

const SQL = {
	users: `select count(*)::int as total,
		count(*) filter (where created_at >= $1)::int as week,
		count(*) filter (where disabled_at is not null)::int as disabled,
		count(*) filter (where demo)::int as demo
		from users`,
	// "Today" is the server's day in UTC; deleted messages are not counted.
	messages: `select count(*)::int as total, count(*) filter (where created_at >= $1)::int as today
		from messages where deleted_at is null and kind <> 'system'`,
	conversations: `select kind, count(*)::int as n from conversations group by kind`,
	perHour: `select date_trunc('hour', created_at) as hour, count(*)::int as n from messages
		where deleted_at is null and kind <> 'system' and created_at >= $1 group by 1`,
	databaseSize: `select pg_database_size(current_database())::bigint::text as bytes`
};

const HOUR_MS = 3600_000;

/** Collects every figure; `relayStats` is this process's relay. */
export async function collectStats(deps: {
	db: Queryable & { kind: 'embedded' | 'postgres' };
	dataDir: string;
	/** Free bytes under which uploads are refused. */
	diskFreeFloorBytes: number;
	relayStats: () => RelayStats;
	now: number;
}): Promise<AdminStats> {
	const { db, now } = deps;
	const dayStart = new Date(now - (now % (24 * HOUR_MS)));
	const weekAgo = new Date(now - 7 * 24 * HOUR_MS);
	const firstHour = Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
	const [users] = await db.query<{ total: number; week: number; disabled: number; demo: number }>(SQL.users, [weekAgo]);
	const [messages] = await db.query<{ total: number; today: number }>(SQL.messages, [dayStart]);
	const kinds = await db.query<{ kind: string; n: number }>(SQL.conversations);
	const hours = await db.query<{ hour: Date | string; n: number }>(SQL.perHour, [new Date(firstHour)]);
	const [size] = await db.query<{ bytes: string }>(SQL.databaseSize);
	const byKind = Object.fromEntries(kinds.map((row) => [row.kind, row.n]));
	const counted = new Map(hours.map((row) => [new Date(row.hour).getTime(), row.n]));
	const relay = deps.relayStats();
	// A figure, not a reason to fail: a folder that cannot be read whole answers what it could.
	const uploads: AdminStats['uploads'] = await directorySize(path.join(deps.dataDir, 'uploads')).catch(() => ({
		bytes: 0,
		files: 0,
		incomplete: true as const
	}));
	const disk = await diskSpace(deps.dataDir).then(
		(space) => ({ ...space, floorBytes: deps.diskFreeFloorBytes, low: space.freeBytes < deps.diskFreeFloorBytes }),
		() => null
	);
	const conversations = { direct: byKind.direct ?? 0, group: byKind.group ?? 0, channel: byKind.channel ?? 0, total: 0 };
	conversations.total = conversations.direct + conversations.group + conversations.channel;
	return {
		users: {
			total: users!.total,
			onlineNow: relay.onlineUsers,
			signedUpThisWeek: users!.week,
			disabled: users!.disabled,
			demoAccounts: users!.demo > 0
		},
		messages: { today: messages!.today, total: messages!.total },
		conversations,
		channels: conversations.channel,
		database: { kind: db.kind, bytes: Number(size!.bytes) },
		uploads,
		disk,
		relay,
		messagesPerHour: Array.from({ length: 24 }, (_, i) => {
			const hour = firstHour + i * HOUR_MS;
			return { hour: new Date(hour).toISOString(), count: counted.get(hour) ?? 0 };
		}),
		generatedAt: new Date(now).toISOString()
	};
}
