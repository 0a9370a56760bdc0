/** A `pg` pool behind the Db interface. */
import pg from 'pg';
import type { Db, Queryable } from './types.js';

/** Pool size: the relay's group commit needs few connections; routes need a few more. */
const POOL_MAX = 10;

/** Opens a pool to a PostgreSQL server and checks that it answers; `kind` says whose server it is. */
export async function openPostgres(connectionString: string, options: { kind?: Db['kind'] } = {}): Promise<Db> {
	const pool = new pg.Pool({ connectionString, max: POOL_MAX });
	// An idle client's error (server restart) must not crash the process: the pool replaces it.
	pool.on('error', () => {});
	await pool.query('select 1');
	const query: Queryable['query'] = async (text, params) => (await pool.query(text, params as unknown[] | undefined)).rows;
	return {
		kind: options.kind ?? 'postgres',
		query,
		async transaction(fn) {
			const client = await pool.connect();
			try {
				await client.query('begin');
				const result = await fn({
					query: async (text, params) => (await client.query(text, params as unknown[] | undefined)).rows
				});
				await client.query('commit');
				return result;
			} catch (error) {
				await client.query('rollback').catch(() => {});
				throw error;
			} finally {
				client.release();
			}
		},
		pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
		close: () => pool.end()
	};
}
