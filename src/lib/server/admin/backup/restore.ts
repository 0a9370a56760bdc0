/**
 * Restoring an archive into a database and a DATA_DIR (server stopped):
 *  1. the whole archive is read and checked (verifyArchive); a bad one changes nothing;
 *  2. the target must be empty unless `force`;
 *  3. one transaction: drop every table, apply exactly the archive's migrations, insert every
 *     table in dependency order, set the sequences; uploads are written to a staging folder
 *     during the same pass (checked again) and swapped into place once the transaction committed.
 * A failure at any step before the swap leaves the database and the uploads as they were.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundledMigrations, migrate, type Migration } from '../../db/migrate.js';
import type { Db, Queryable } from '../../db/types.js';
import { walkFiles } from '../files.js';
import { UPLOAD_DIR_MODE, UPLOAD_FILE_MODE } from '../../uploads/blob-store.js';
import { BackupError, type Manifest } from './format.js';
import { readArchive, verifyArchive, type ArchiveSeal } from './read.js';
import { signatureMatches } from './signing.js';
import { NOT_DUMPED, ident, nonEmptyTables, sequenceNames, tablesInOrder } from './schema.js';

const SQL = {
	tables: `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = current_schema() and c.relkind in ('r', 'p')`,
	drop: (table: string) => `drop table if exists ${ident(table)} cascade`,
	insert: (table: string) => `insert into ${ident(table)} select * from json_populate_recordset(null::${ident(table)}, $1::json)`,
	setval: `select setval($1::regclass, $2::bigint, $3)`,
	columns: `select table_name as table, column_name as column from information_schema.columns where table_schema = current_schema()`,
	// A key of any row that is not one of the table's columns (json_populate_recordset would drop it silently).
	foreignKey: `select k from json_array_elements($1::json) as e, json_object_keys(e) as k where not (k = any($2::text[])) limit 1`
};

/**
 * What an archive may write: exactly the tables, columns and sequences the archive's own
 * migrations made in this schema, nothing else. Names from the archive are quoted, but a quoted
 * `pg_description` still resolves to the system catalog (pg_catalog is always on the search
 * path), and the embedded database connects as superuser: a name that is not ours is refused.
 */
interface Allowed {
	columns: Map<string, string[]>;
	sequences: Set<string>;
}

async function allowedAfterMigrations(tx: Queryable): Promise<Allowed> {
	const columns = new Map<string, string[]>();
	for (const table of await tablesInOrder(tx)) if (!NOT_DUMPED.has(table)) columns.set(table, []);
	for (const row of await tx.query<{ table: string; column: string }>(SQL.columns)) columns.get(row.table)?.push(row.column);
	return { columns, sequences: new Set(await sequenceNames(tx)) };
}

const notOurs = (what: string) =>
	new BackupError('foreign', `The archive names ${what}, which is not Parley's at the archive's migration level; nothing was changed`);

/** Refuses a manifest naming any table or sequence the migrations did not make. */
function checkNames(manifest: Manifest, allowed: Allowed): void {
	for (const table of manifest.tables) if (!allowed.columns.has(table.name)) throw notOurs(`the table ${JSON.stringify(table.name)}`);
	for (const sequence of manifest.sequences)
		if (!allowed.sequences.has(sequence.name)) throw notOurs(`the sequence ${JSON.stringify(sequence.name)}`);
}

/** A transaction seen as a Db, so `migrate` runs inside the restore's own transaction. */
function asDb(tx: Queryable, kind: Db['kind']): Db {
	return { kind, query: tx.query.bind(tx), transaction: (fn) => fn(tx), close: async () => {} };
}

/** The migrations an archive needs, from this build; an unknown one means a newer Parley made it. */
export function migrationsFor(manifest: Manifest, available: Migration[] = bundledMigrations()): Migration[] {
	const known = new Map(available.map((m) => [m.name, m]));
	const unknown = manifest.migrations.filter((name) => !known.has(name));
	if (unknown.length)
		throw new BackupError(
			'version',
			`The archive comes from a newer Parley (unknown migrations: ${unknown.join(', ')}); upgrade this one first`
		);
	return manifest.migrations.map((name) => known.get(name)!);
}

export interface RestoreResult {
	manifest: Manifest;
	rows: number;
	files: number;
}

/** Restores `file` into `db` and `dataDir`; throws BackupError for a refused archive or target. */
export async function restoreBackup(deps: {
	db: Db;
	dataDir: string;
	file: string;
	force: boolean;
	log?: (line: string) => void;
	/**
	 * The key archives must be signed with (signing.ts); null or absent: signatures are not checked.
	 * `allowUnsigned` lets an unsigned archive, or one signed with another key, through all the same.
	 */
	signingKey?: Buffer | null;
	allowUnsigned?: boolean;
}): Promise<RestoreResult> {
	const { db, dataDir, file } = deps;
	const log = deps.log ?? (() => {});
	const seal: ArchiveSeal = { contentHash: '', signature: null };
	const manifest = await verifyArchive(file, undefined, seal);
	if (deps.signingKey && !signatureMatches(deps.signingKey, seal.contentHash, seal.signature)) {
		if (!deps.allowUnsigned)
			throw new BackupError(
				'foreign',
				`The archive is ${seal.signature ? 'signed with another key' : 'not signed'}, not with this DATA_DIR's backup key; restore it only if you made it, with --unsigned`
			);
		log(`warning: the archive is ${seal.signature ? 'signed with another key' : 'not signed'}; restoring it as --unsigned asked`);
	}
	const migrations = migrationsFor(manifest);
	log(`archive checked: ${manifest.tables.length} tables, ${manifest.files.length} files, made ${manifest.createdAt}`);
	if (!deps.force) {
		const busy = await nonEmptyTables(db);
		const uploads = path.join(dataDir, 'uploads');
		let hasFiles = false;
		for await (const _ of walkFiles(uploads)) {
			hasFiles = true;
			break;
		}
		if (busy.length || hasFiles)
			throw new BackupError(
				'not_empty',
				`The target is not empty (${[...busy, ...(hasFiles ? ['uploads'] : [])].join(', ')}); add --force to replace it`
			);
	}
	const uploads = path.join(dataDir, 'uploads');
	const staging = path.join(dataDir, `uploads.restoring-${process.pid}`);
	await fs.promises.rm(staging, { recursive: true, force: true });
	await fs.promises.mkdir(staging, { recursive: true, mode: UPLOAD_DIR_MODE });
	let rows = 0;
	try {
		await db.transaction(async (tx) => {
			for (const { name } of await tx.query<{ name: string }>(SQL.tables)) await tx.query(SQL.drop(name));
			await migrate(asDb(tx, db.kind), migrations);
			const allowed = await allowedAfterMigrations(tx);
			checkNames(manifest, allowed);
			let out: fs.WriteStream | null = null;
			const again = await readArchive(file, {
				rows: async (table, json, count) => {
					// Checked again here: these rows come from the second read, not the verified one.
					const columns = allowed.columns.get(table);
					if (!columns) throw notOurs(`the table ${JSON.stringify(table)}`);
					const [extra] = await tx.query<{ k: string }>(SQL.foreignKey, [json, columns]);
					if (extra) throw notOurs(`the column ${JSON.stringify(`${table}.${extra.k}`)}`);
					await tx.query(SQL.insert(table), [json]);
					rows += count;
				},
				fileStart: async (rel) => {
					const target = path.join(staging, rel);
					await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: UPLOAD_DIR_MODE });
					out = fs.createWriteStream(target, { flags: 'wx', mode: UPLOAD_FILE_MODE });
				},
				fileData: (chunk) => new Promise<void>((resolve, reject) => out!.write(chunk, (error) => (error ? reject(error) : resolve()))),
				fileEnd: () =>
					new Promise<void>((resolve, reject) => {
						out!.once('error', reject);
						out!.end(() => resolve());
					})
			});
			if (JSON.stringify(again) !== JSON.stringify(manifest))
				throw new BackupError('corrupt', 'The archive changed while it was being restored');
			for (const sequence of manifest.sequences) await tx.query(SQL.setval, [ident(sequence.name), sequence.value, sequence.isCalled]);
		});
	} catch (error) {
		await fs.promises.rm(staging, { recursive: true, force: true });
		throw error;
	}
	// Committed: the staged uploads replace the old ones (a rename each, so never half of both).
	const old = path.join(dataDir, `uploads.old-${process.pid}`);
	await fs.promises.rm(old, { recursive: true, force: true });
	await fs.promises.rename(uploads, old).catch((error: NodeJS.ErrnoException) => {
		if (error.code !== 'ENOENT') throw error;
	});
	await fs.promises.rename(staging, uploads);
	await fs.promises.rm(old, { recursive: true, force: true });
	log(`restored ${rows} rows and ${manifest.files.length} files`);
	return { manifest, rows, files: manifest.files.length };
}
