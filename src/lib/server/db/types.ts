/** What every part of Parley sees of the database: parameterised SQL and transactions. */
export interface Queryable {
	/** Runs one statement with `$1…` parameters and returns its rows. */
	query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** An open database: the embedded PGlite or a pool of connections to a real PostgreSQL. */
export interface Db extends Queryable {
	readonly kind: 'pglite' | 'postgres';
	/** Runs `fn` in one transaction; a throw rolls it back and rethrows. */
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
	/** Connections of a pool (for /metrics); absent for the embedded database's single connection. */
	pool?(): { total: number; idle: number; waiting: number };
	/** Closes the database; pending queries finish first. */
	close(): Promise<void>;
}
