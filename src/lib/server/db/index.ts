/** Opens the database the configuration names: a PostgreSQL server, or Parley's own embedded one. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { openPostgres } from './postgres.js';
import { startEmbeddedPostgres } from './embedded/server.js';
import type { Db } from './types.js';

export type { Db, Queryable } from './types.js';
export { migrate } from './migrate.js';

export interface OpenDatabaseOptions {
	databaseUrl: string | undefined;
	dataDir: string;
	limits: { embeddedStartTimeoutMs: number; embeddedStopTimeoutMs: number };
	log: Logger;
	/** The embedded server died under us: Parley must stop rather than serve without storage. */
	onEmbeddedExit: () => void;
}

/** Refuses a data directory made by PGlite (the embedded database before 0.2): nothing converts it. */
async function refusePglite(dataDir: string) {
	const old = path.join(dataDir, 'db');
	if (
		await fs.access(path.join(old, 'PG_VERSION')).then(
			() => true,
			() => false
		)
	)
		throw new Error(
			`${old} holds a database made by PGlite, which Parley no longer uses; its embedded database is now a PostgreSQL server in ${path.join(dataDir, 'pg')}. ` +
				'Move that directory away (nothing was released with PGlite, so no converter exists) and start again'
		);
}

/**
 * `DATABASE_URL` set: a pool to that server. Unset: start the embedded PostgreSQL in `DATA_DIR/pg`
 * and a pool to it; closing the Db closes the pool, then stops the server.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Db> {
	if (options.databaseUrl) return openPostgres(options.databaseUrl);
	await refusePglite(options.dataDir);
	const server = await startEmbeddedPostgres({
		dir: path.join(options.dataDir, 'pg'),
		passwordFile: path.join(options.dataDir, 'pg-password'),
		log: options.log,
		startTimeoutMs: options.limits.embeddedStartTimeoutMs,
		stopTimeoutMs: options.limits.embeddedStopTimeoutMs,
		onExit: options.onEmbeddedExit
	});
	let db: Db;
	try {
		db = await openPostgres(server.url, { kind: 'embedded' });
	} catch (error) {
		await server.stop();
		throw error;
	}
	return {
		...db,
		async close() {
			try {
				await db.close();
			} finally {
				await server.stop();
			}
		}
	};
}
