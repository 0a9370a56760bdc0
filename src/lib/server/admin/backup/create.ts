/**
 * Making a backup: one REPEATABLE READ, READ ONLY transaction (a consistent snapshot of every
 * table), each table read in ranges of its heap blocks (a TID range scan over `ctid`: bounded
 * memory, linear time, any table, key or not; an ORDER BY ctid page would sort the rest of the
 * table for every page, which took a minute for 200 000 rows),
 * then every file under DATA_DIR/uploads streamed, then the manifest and the trailer. Works
 * through the Db interface only, so on PGlite and any PostgreSQL alike (no pg_dump).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import type { Db } from '../../db/types.js';
import { committedFiles } from '../files.js';
import { FORMAT_VERSION, RecordType, RecordWriter, type Manifest } from './format.js';
import { signatureOf } from './signing.js';
import { DERIVED_COLUMNS, NOT_DUMPED, appliedMigrations, ident, sequenceNames, tablesInOrder } from './schema.js';

/** How much one backup reads or writes at a time; named in DEFAULT_LIMITS too (see config.ts). */
export interface BackupLimits {
	/** Heap blocks (8 KiB each) read per query: bounds memory by about this much table data. */
	backupBatchBlocks: number;
	/** Bytes per file-data record. */
	backupFileChunkBytes: number;
}

const SQL = {
	snapshot: `set transaction isolation level repeatable read, read only`,
	// Rows visible to the snapshot existed when it began, so they lie within the blocks counted now.
	blocks: `select (pg_relation_size($1::regclass) / current_setting('block_size')::int)::bigint::text as blocks`,
	page: (table: string) => `select row_to_json(t)::text as r from ${ident(table)} as t where ctid >= $1::tid and ctid < $2::tid`,
	// The same without derived columns ($3): restore rebuilds them (schema.ts, DERIVED_COLUMNS).
	pageWithout: (table: string) =>
		`select (to_jsonb(t) - $3::text[])::text as r from ${ident(table)} as t where ctid >= $1::tid and ctid < $2::tid`,
	sequence: (name: string) => `select last_value::text as value, is_called from ${ident(name)}`
};

/** Writes a whole archive of `db` and `uploadsDir` to `out` (gzip added here); returns its manifest. */
export async function writeBackup(
	deps: { db: Db; uploadsDir: string; limits: BackupLimits; now: () => number; signingKey?: Buffer | null },
	out: Writable
): Promise<Manifest> {
	const gzip = createGzip();
	const finished = new Promise<void>((resolve, reject) => {
		out.once('finish', resolve);
		out.once('close', resolve);
		out.once('error', reject);
		gzip.once('error', reject);
	});
	gzip.pipe(out);
	const writer = new RecordWriter(gzip);
	const manifest: Manifest = {
		format: FORMAT_VERSION,
		createdAt: new Date(deps.now()).toISOString(),
		migrations: [],
		source: deps.db.kind,
		tables: [],
		sequences: [],
		files: []
	};
	await writer.magic();
	await writer.json(RecordType.Header, { format: FORMAT_VERSION, app: 'parley', createdAt: manifest.createdAt });
	await deps.db.transaction(async (tx) => {
		await tx.query(SQL.snapshot);
		manifest.migrations = await appliedMigrations(tx);
		for (const table of await tablesInOrder(tx)) {
			if (NOT_DUMPED.has(table)) continue;
			const hash = createHash('sha256');
			let rows = 0;
			await writer.json(RecordType.Table, { name: table });
			const blocks = Number((await tx.query<{ blocks: string }>(SQL.blocks, [ident(table)]))[0]!.blocks);
			const step = deps.limits.backupBatchBlocks;
			for (let block = 0; block < blocks; block += step) {
				const range = [`(${block},0)`, `(${block + step},0)`];
				const derived = DERIVED_COLUMNS[table];
				const page = derived
					? await tx.query<{ r: string }>(SQL.pageWithout(table), [...range, derived])
					: await tx.query<{ r: string }>(SQL.page(table), range);
				if (page.length === 0) continue;
				const body = Buffer.from(`[${page.map((row) => row.r).join(',')}]`);
				const count = Buffer.alloc(4);
				count.writeUInt32BE(page.length);
				const payload = Buffer.concat([count, body]);
				hash.update(payload);
				await writer.record(RecordType.Rows, payload);
				rows += page.length;
			}
			await writer.json(RecordType.TableEnd, { name: table, rows });
			manifest.tables.push({ name: table, rows, sha256: hash.digest('hex') });
		}
		for (const name of await sequenceNames(tx)) {
			const [row] = await tx.query<{ value: string; is_called: boolean }>(SQL.sequence(name));
			manifest.sequences.push({ name, value: row!.value, isCalled: row!.is_called });
		}
	});
	// Files after the snapshot's transaction, so the database is not held while they are copied.
	// Uploads are written once and never changed, so a file listed by a row of the snapshot is there.
	// Only committed files: `tmp/*.part` are uploads still arriving (they grow, then vanish), and a
	// blob the sweeper removed since the listing is passed over (its rows went with it).
	for await (const file of committedFiles(deps.uploadsDir)) {
		let handle: fs.promises.FileHandle;
		try {
			handle = await fs.promises.open(file.abs, 'r');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
			throw error;
		}
		try {
			const hash = createHash('sha256');
			let size = 0;
			await writer.json(RecordType.File, { path: file.rel, size: file.size });
			for await (const chunk of handle.createReadStream({ highWaterMark: deps.limits.backupFileChunkBytes, autoClose: false })) {
				const part = chunk as Buffer;
				size += part.length;
				if (size > file.size) throw new Error(`${file.rel} grew while it was being backed up`);
				hash.update(part);
				await writer.record(RecordType.Data, part);
			}
			if (size !== file.size) throw new Error(`${file.rel} shrank while it was being backed up`);
			manifest.files.push({ path: file.rel, size, sha256: hash.digest('hex') });
		} finally {
			await handle.close();
		}
	}
	await writer.json(RecordType.Manifest, manifest);
	const contentHash = await writer.trailer();
	if (deps.signingKey) await writer.record(RecordType.Signature, Buffer.from(signatureOf(deps.signingKey, contentHash)));
	gzip.end();
	await finished;
	return manifest;
}

/** Where uploads live under DATA_DIR. */
export const uploadsDirOf = (dataDir: string) => path.join(dataDir, 'uploads');
