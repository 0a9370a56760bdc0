/** Builds the relay of one process from its runtime: SQL storage, session cookie, membership. */
import type { IncomingMessage } from 'node:http';
import type { Runtime } from '$lib/server/runtime';
import { sessionTokenFromCookieHeader, validateSessionToken } from '$lib/server/auth/sessions';
import { authorizeFromDatabase } from './access.js';
import { Relay, type RelayOptions } from './relay.js';
import { SqlStorage } from './sql-storage.js';
import { CommitMeter } from './meter.js';
import { Presence } from './presence.js';
import type { Room } from './room.js';
import { parseDocName } from '$lib/server/doc-names';

export { Relay, SYNC_PATH } from './relay.js';

const SQL = {
	tombstones: `select id, author_id as author from messages where doc_name = $1 and deleted_at is not null`
};

/** Clients drop remote awareness states not renewed within 30 s; renew at half of that. */
const PRESENCE_HEARTBEAT_MS = 15_000;

/** The relay wired to the process's database, sessions and events, with presence. */
export function createRelay(runtime: Pick<Runtime, 'db' | 'config' | 'log' | 'events' | 'now'>, extra: Partial<RelayOptions> = {}): Relay {
	const { db, config, log, events, now } = runtime;
	let presence: Presence | undefined;
	const meter = extra.meter ?? new CommitMeter();
	const relay = new Relay({
		meter,
		onUserOnline: (userId) => void presence?.online(userId),
		onUserOffline: (userId) => void presence?.offline(userId),
		storage: meter.wrap(new SqlStorage(db)),
		authenticate: async (req: IncomingMessage) => {
			const token = sessionTokenFromCookieHeader(req.headers.cookie);
			if (!token) return null;
			const result = await validateSessionToken(db, token, now(), config.limits);
			// A session still owing its second factor may do nothing but verify it.
			if (!result || result.session.twoFactorPending) return null;
			return { userId: result.user.id, sessionId: result.session.id };
		},
		authorize: authorizeFromDatabase(db),
		// Read per upgrade: with PORT=0 the origin is only known once the server listens.
		origin: () => config.origin,
		limits: config.limits,
		rateLimits: config.syncRateLimits,
		log: log.child({ part: 'relay' }),
		events,
		projection: true,
		commitsInFlight: config.limits.relayCommitsInFlight,
		tombstones: (docName) => db.query(SQL.tombstones, [docName]),
		...extra
	});
	presence = new Presence({
		db,
		log: log.child({ part: 'presence' }),
		now,
		isOnline: (userId) => relay.isOnline(userId),
		room: (docName) => relay.rooms.peek(docName),
		inboxRooms: function* () {
			for (const room of relay.rooms.all()) {
				const target = parseDocName(room.name);
				if (target?.kind === 'inbox') yield [target.userId, room] as [string, Room];
			}
		},
		heartbeatMs: PRESENCE_HEARTBEAT_MS,
		events
	});
	relay.presence = presence;
	return relay;
}
