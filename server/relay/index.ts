/**
 * Builds the relay of one process from its runtime (SQL storage, session cookie, membership) and
 * the parts that keep its rooms' state from the database: presence in inboxes, the R27 upload ids
 * and the R28 member ids. Each part subscribes to the relay once the relay exists, and `close`
 * ends what was made here: the relay first, then its parts.
 */
import type { IncomingMessage } from 'node:http';
import type { Runtime } from '$lib/server/runtime';
import { sessionTokenFromCookieHeader, validateSessionToken } from '$lib/server/auth/sessions';
import { authorizeFromDatabase } from './access.js';
import { Relay, type RelayOptions } from './relay.js';
import { SqlStorage } from './sql-storage.js';
import { CommitMeter } from './meter.js';
import { Presence } from './presence.js';
import type { Room } from './room.js';
import { listen } from './relay-events.js';
import { pickRelayLimits } from './limits.js';
import { trackUploadIds } from './upload-ids.js';
import { trackMemberIds } from './member-ids.js';
import { parseDocName } from '$lib/server/doc-names';

export { Relay, SYNC_PATH } from './relay.js';
export type { LoadedDoc, RelayEventMap } from './relay-events.js';

const SQL = {
	tombstones: `select id, author_id as author from messages where doc_name = $1 and deleted_at is not null`
};

/** Clients drop remote awareness states not renewed within 30 s; renew at half of that. */
const PRESENCE_HEARTBEAT_MS = 15_000;

/** The relay of a process and the function that closes it with everything made for it here. */
export interface ProcessRelay {
	relay: Relay;
	/** Closes the relay (sockets, pending commits, rooms), stopping presence and the R27/R28 sets with it. */
	close(): Promise<void>;
}

/** The relay wired to the process's database, sessions and events, with presence. */
export function createRelay(
	runtime: Pick<Runtime, 'db' | 'config' | 'log' | 'events' | 'now'>,
	extra: Partial<Pick<RelayOptions, 'meter' | 'fanout'>> = {}
): ProcessRelay {
	const { db, config, log, events, now } = runtime;
	const { limits } = config;
	const meter = extra.meter ?? new CommitMeter();
	const relay = new Relay({
		meter,
		fanout: extra.fanout,
		storage: meter.wrap(new SqlStorage(db)),
		authenticate: async (req: IncomingMessage) => {
			const token = sessionTokenFromCookieHeader(req.headers.cookie);
			if (!token) return null;
			const result = await validateSessionToken(db, token, now(), limits);
			// A second factor still owed allows nothing but verifying it.
			if (!result || result.session.twoFactorPending) return null;
			return { userId: result.user.id, sessionId: result.session.id };
		},
		authorize: authorizeFromDatabase(db),
		// Read per upgrade: with PORT=0 the origin is only known once the server listens.
		origin: () => config.origin,
		limits: pickRelayLimits(limits),
		rateLimits: config.syncRateLimits,
		log: log.child({ part: 'relay' }),
		events,
		projection: true,
		tombstones: (docName) => db.query(SQL.tombstones, [docName])
	});

	// R27, R28: each loaded conversation knows its upload ids and members (loaded with it, then kept by events).
	const peek = (docName: string) => relay.rooms.peek(docName);
	const uploadIds = trackUploadIds({ db, events, peek, max: limits.relayRoomUploadIdsMax });
	const memberIds = trackMemberIds({ db, events, log: log.child({ part: 'relay' }), peek, max: limits.relayRoomMemberIdsMax });
	const presence = new Presence({
		db,
		log: log.child({ part: 'presence' }),
		now,
		isOnline: (userId) => relay.isOnline(userId),
		room: peek,
		inboxRooms: function* () {
			for (const room of relay.rooms.all()) {
				const target = parseDocName(room.name);
				if (target?.kind === 'inbox') yield [target.userId, room] as [string, Room];
			}
		},
		heartbeatMs: PRESENCE_HEARTBEAT_MS,
		events
	});
	const detach = [
		relay.rooms.onLoad(async (room) => {
			await uploadIds.load(room);
			await memberIds.load(room);
		}),
		// Last, after the inbox filled it: presence read now misses the least before the room is listed.
		relay.rooms.onLoad(
			async (room) => {
				const target = parseDocName(room.name);
				if (target?.kind === 'inbox') await presence.prime(room, target.userId);
			},
			{ last: true }
		),
		listen(relay.events, {
			userOnline: ({ userId }) => void presence.online(userId),
			userOffline: ({ userId }) => void presence.offline(userId)
		}),
		// Once the relay's users are offline and before its rooms are freed: their last-seen times
		// are stored and presence stops writing into rooms.
		relay.onClose(() => presence.destroy())
	];

	return {
		relay,
		async close() {
			uploadIds.stop();
			memberIds.stop();
			await relay.close();
			for (const stop of detach) stop();
		}
	};
}
