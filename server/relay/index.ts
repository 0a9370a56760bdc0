/** Builds the relay of one process from its runtime: SQL storage, session cookie, membership. */
import type { IncomingMessage } from 'node:http';
import type { Runtime } from '$lib/server/runtime';
import { sessionTokenFromCookieHeader, validateSessionToken } from '$lib/server/auth/sessions';
import { authorizeFromDatabase } from './access.js';
import { Relay, type RelayOptions } from './relay.js';
import { SqlStorage } from './sql-storage.js';

export { Relay, SYNC_PATH } from './relay.js';

const SQL = {
	tombstones: `select id, author_id as author from messages where doc_name = $1 and deleted_at is not null`
};

/** The relay wired to the process's database, sessions and events. */
export function createRelay(runtime: Pick<Runtime, 'db' | 'config' | 'log' | 'events' | 'now'>, extra: Partial<RelayOptions> = {}): Relay {
	const { db, config, log, events, now } = runtime;
	return new Relay({
		storage: new SqlStorage(db),
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
		log: log.child({ part: 'relay' }),
		events,
		projection: true,
		commitsInFlight: db.kind === 'pglite' ? 1 : config.limits.relayCommitsInFlight,
		tombstones: (docName) => db.query(SQL.tombstones, [docName]),
		...extra
	});
}
