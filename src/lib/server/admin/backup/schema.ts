/** What the backup needs to know of the live schema: tables in dependency order, sequences. */
import type { Queryable } from '../../db/types.js';

/** Bookkeeping the restore rebuilds itself (migrate), so it is neither dumped nor counted as data. */
export const NOT_DUMPED = new Set(['schema_migrations']);
/**
 * Columns derived from others, left out of the archive and rebuilt on restore: `messages.search`
 * (search vector, as large as the text) is filled by its trigger when the rows are inserted again.
 */
export const DERIVED_COLUMNS: Readonly<Record<string, readonly string[]>> = { messages: ['search'] };
/** Tables whose rows do not make a target "non-empty" (counters a fresh start may already write). */
export const NOT_DATA = new Set(['schema_migrations', 'rate_limits']);

const SQL = {
	tables: `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = current_schema() and c.relkind in ('r', 'p') order by c.relname`,
	references: `select cc.relname as child, pc.relname as parent from pg_constraint k
		join pg_class cc on cc.oid = k.conrelid join pg_class pc on pc.oid = k.confrelid
		join pg_namespace n on n.oid = cc.relnamespace
		where k.contype = 'f' and n.nspname = current_schema()`,
	sequences: `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = current_schema() and c.relkind = 'S' order by c.relname`,
	migrations: `select name from schema_migrations order by name`
};

/** A quoted SQL identifier (names come from the catalog, but quoting keeps them inert anyway). */
export function ident(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

/** Every table of the schema, each after the tables it references (a cycle is an error). */
export async function tablesInOrder(db: Queryable): Promise<string[]> {
	const names = (await db.query<{ name: string }>(SQL.tables)).map((row) => row.name);
	const parents = new Map(names.map((name) => [name, new Set<string>()]));
	for (const { child, parent } of await db.query<{ child: string; parent: string }>(SQL.references))
		if (child !== parent) parents.get(child)?.add(parent);
	const ordered: string[] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const visit = (name: string) => {
		if (state.get(name) === 'done') return;
		if (state.get(name) === 'visiting') throw new Error(`foreign keys form a cycle through ${name}`);
		state.set(name, 'visiting');
		for (const parent of parents.get(name) ?? []) visit(parent);
		state.set(name, 'done');
		ordered.push(name);
	};
	for (const name of names) visit(name);
	return ordered;
}

/** The schema's sequences (bigserial columns). */
export async function sequenceNames(db: Queryable): Promise<string[]> {
	return (await db.query<{ name: string }>(SQL.sequences)).map((row) => row.name);
}

/** Applied migrations, or none when the schema was never migrated. */
export async function appliedMigrations(db: Queryable): Promise<string[]> {
	const tables = (await db.query<{ name: string }>(SQL.tables)).map((row) => row.name);
	if (!tables.includes('schema_migrations')) return [];
	return (await db.query<{ name: string }>(SQL.migrations)).map((row) => row.name);
}

/** Tables holding data (anything but bookkeeping) that have at least one row. */
export async function nonEmptyTables(db: Queryable): Promise<string[]> {
	const found: string[] = [];
	for (const { name } of await db.query<{ name: string }>(SQL.tables)) {
		if (NOT_DATA.has(name)) continue;
		const [row] = await db.query<{ any: boolean }>(`select exists (select 1 from ${ident(name)}) as any`);
		if (row?.any) found.push(name);
	}
	return found;
}
