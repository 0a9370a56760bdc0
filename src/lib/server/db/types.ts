/** What every part of Parley sees of the database: parameterised SQL and transactions. */
export interface Queryable {
	/** Runs one statement with `$1…` parameters and returns its rows. */
	query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** An open database: a pool of connections to a PostgreSQL server, Parley's own or an external one. */
export interface Db extends Queryable {
	/** 'embedded': the server Parley started (DATA_DIR/pg); 'postgres': DATABASE_URL's. */
	readonly kind: 'embedded' | 'postgres';
	/** Runs `fn` in one transaction; a throw rolls it back and rethrows. */
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
	/** Connections of a pool (for /metrics); absent for the embedded database's single connection. */
	pool?(): { total: number; idle: number; waiting: number };
	/** Closes the database; pending queries finish first. */
	close(): Promise<void>;
}
