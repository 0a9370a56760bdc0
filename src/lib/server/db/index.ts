/** Opens the database the configuration names: a real PostgreSQL, or the embedded one. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export type { Db, Queryable } from './types.js';
export { migrate } from './migrate.js';

/** `DATABASE_URL` set: a pool to that server; unset: PGlite under `DATA_DIR/db`. */
export async function openDatabase(options: { databaseUrl: string | undefined; dataDir: string }): Promise<Db> {
	if (options.databaseUrl) return openPostgres(options.databaseUrl);
	const dir = path.join(options.dataDir, 'db');
	await fs.mkdir(dir, { recursive: true });
	return openPglite(dir);
}
