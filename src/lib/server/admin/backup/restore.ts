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
import { BackupError, type Manifest } from './format.js';
import { readArchive, verifyArchive } from './read.js';
import { ident, nonEmptyTables } from './schema.js';

const SQL = {
	tables: `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = current_schema() and c.relkind in ('r', 'p')`,
	drop: (table: string) => `drop table if exists ${ident(table)} cascade`,
	insert: (table: string) => `insert into ${ident(table)} select * from json_populate_recordset(null::${ident(table)}, $1::json)`,
	setval: `select setval($1::regclass, $2::bigint, $3)`
};

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
}): Promise<RestoreResult> {
	const { db, dataDir, file } = deps;
	const log = deps.log ?? (() => {});
	const manifest = await verifyArchive(file);
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
	await fs.promises.mkdir(staging, { recursive: true });
	let rows = 0;
	try {
		await db.transaction(async (tx) => {
			for (const { name } of await tx.query<{ name: string }>(SQL.tables)) await tx.query(SQL.drop(name));
			await migrate(asDb(tx, db.kind), migrations);
			let out: fs.WriteStream | null = null;
			const again = await readArchive(file, {
				rows: async (table, json, count) => {
					await tx.query(SQL.insert(table), [json]);
					rows += count;
				},
				fileStart: async (rel) => {
					const target = path.join(staging, rel);
					await fs.promises.mkdir(path.dirname(target), { recursive: true });
					out = fs.createWriteStream(target, { flags: 'wx' });
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
