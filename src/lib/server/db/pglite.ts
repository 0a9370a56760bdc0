/** The embedded PostgreSQL (PGlite) behind the Db interface. */
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './types.js';

/** Opens (creating on first use, which runs initdb) the embedded database in `dir`. */
export async function openPglite(dir: string): Promise<Db> {
	const pg = await PGlite.create(dir);
	const query: Queryable['query'] = async (text, params) =>
		(await pg.query(text, params as unknown[] | undefined)).rows as never[];
	return {
		kind: 'pglite',
		query,
		transaction: (fn) =>
			pg.transaction((tx) =>
				fn({ query: async (text, params) => (await tx.query(text, params as unknown[] | undefined)).rows as never[] })
			),
		close: () => pg.close()
	};
}
