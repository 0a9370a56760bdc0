/**
 * The one migration system: numbered SQL files in `./migrations`, applied in order at start-up,
 * each recorded in `schema_migrations`. All pending files run in one transaction under an
 * advisory lock, so instances starting together never apply a file twice and a failed file
 * leaves the schema as it was.
 */
import type { Db } from './types.js';

/** Arbitrary constant naming Parley's migration lock among advisory locks. */
const MIGRATION_LOCK_KEY = 7_246_310_001;

const SQL = {
	createTable: `create table if not exists schema_migrations (
		name text primary key,
		applied_at timestamptz not null default now())`,
	lock: `select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`,
	applied: `select name from schema_migrations`,
	record: `insert into schema_migrations (name) values ($1)`
};

export interface Migration {
	name: string;
	sql: string;
}

/** The committed migrations, sorted by their number prefix. */
export function bundledMigrations(): Migration[] {
	const files = import.meta.glob('./migrations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
	return Object.entries(files)
		.map(([file, sql]) => ({ name: file.replace(/^.*\//, '').replace(/\.sql$/, ''), sql }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Applies the migrations not yet recorded; returns the names it applied. */
export async function migrate(db: Db, migrations: Migration[] = bundledMigrations()): Promise<string[]> {
	return db.transaction(async (tx) => {
		await tx.query(SQL.lock);
		await tx.query(SQL.createTable);
		const done = new Set((await tx.query<{ name: string }>(SQL.applied)).map((row) => row.name));
		const applied: string[] = [];
		for (const migration of migrations) {
			if (done.has(migration.name)) continue;
			// One statement per query, so a failure names the statement; files mark their boundaries.
			for (const statement of splitStatements(migration.sql)) await tx.query(statement);
			await tx.query(SQL.record, [migration.name]);
			applied.push(migration.name);
		}
		return applied;
	});
}

/** Splits a migration file on lines of `--> statement`, or treats it as one statement. */
export function splitStatements(sql: string): string[] {
	return sql
		.split(/^--> statement.*$/m)
		.map((part) => part.trim())
		.filter((part) => part.length > 0 && !/^(--[^\n]*\n?)*$/.test(part));
}
