// Issue 21, items 2, 6, 7 and 8: a backup takes only committed upload files (never
// `uploads/tmp/*.part`, uploads still arriving); a restore writes only Parley's own tables, columns
// and sequences (a crafted archive naming `pg_description` is refused, the catalog untouched); the
// archive reader is linear (a few hundred KiB of crafted gzip is refused after copying about its
// own decompressed size, not terabytes); a refused restore into a fresh, empty DATA_DIR leaves it
// as it was found (no `pg/`, no `pg-password`).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../helpers/database.js';
import type { Db } from '$lib/server/db';
import { bundledMigrations } from '$lib/server/db/migrate';
import { writeBackup } from '$lib/server/admin/backup/create';
import { BackupError, FORMAT_VERSION, MAGIC, RecordType, RecordWriter, type Manifest } from '$lib/server/admin/backup/format';
import { verifyArchive } from '$lib/server/admin/backup/read';
import { restoreBackup } from '$lib/server/admin/backup/restore';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { restoreCommand } from '../../../server/ops.js';
import { BackupStore } from '$lib/server/admin/backup/store';
import { backupKeyPathOf, readBackupKey, signatureMatches } from '$lib/server/admin/backup/signing';

const LIMITS = { backupBatchBlocks: DEFAULT_LIMITS.backupBatchBlocks, backupFileChunkBytes: DEFAULT_LIMITS.backupFileChunkBytes };

/** A well-formed archive (valid checksum) of hand-written tables: what anyone can build, no key needed. */
async function forgeArchive(file: string, tables: Array<{ name: string; rows: object[] }>, sequences: Manifest['sequences'] = []) {
	const out = new PassThrough();
	const chunks: Buffer[] = [];
	out.on('data', (c: Buffer) => chunks.push(c));
	const writer = new RecordWriter(out);
	const createdAt = new Date().toISOString();
	const manifest: Manifest = {
		format: FORMAT_VERSION,
		createdAt,
		migrations: bundledMigrations().map((m) => m.name),
		source: 'postgres',
		tables: [],
		sequences,
		files: []
	};
	await writer.magic();
	await writer.json(RecordType.Header, { format: FORMAT_VERSION, app: 'parley', createdAt });
	for (const table of tables) {
		await writer.json(RecordType.Table, { name: table.name });
		const count = Buffer.alloc(4);
		count.writeUInt32BE(table.rows.length);
		const payload = Buffer.concat([count, Buffer.from(JSON.stringify(table.rows))]);
		await writer.record(RecordType.Rows, payload);
		await writer.json(RecordType.TableEnd, { name: table.name, rows: table.rows.length });
		manifest.tables.push({ name: table.name, rows: table.rows.length, sha256: createHash('sha256').update(payload).digest('hex') });
	}
	await writer.json(RecordType.Manifest, manifest);
	await writer.trailer();
	await fs.writeFile(file, gzipSync(Buffer.concat(chunks)));
}

async function refusal(promise: Promise<unknown>): Promise<BackupError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(BackupError);
	return error as BackupError;
}

const PWNED = 'parley-issue-21-pwned';
const mode = async (file: string) => (await fs.stat(file)).mode & 0o777;

describe(`backup and restore hardening (${testDatabaseKind()})`, () => {
	let database: TestDatabase;
	let db: Db;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase();
		db = await database.open();
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-restore-hardening-'));
	});
	afterAll(async () => {
		await db?.close();
		await database?.destroy();
		if (dir) await fs.rm(dir, { recursive: true, force: true });
	});

	it('[item 2] a backup takes committed upload files only, never uploads/tmp/*.part still arriving', async () => {
		const uploads = path.join(dir, 'uploads-2');
		const blob = 'ab'.padEnd(64, 'c');
		await fs.mkdir(path.join(uploads, 'ab'), { recursive: true });
		await fs.mkdir(path.join(uploads, 'tmp'), { recursive: true });
		await fs.writeFile(path.join(uploads, 'ab', blob), 'committed bytes');
		// An upload still arriving: before, the backup read it and failed once it grew or vanished.
		const arriving = createWriteStream(path.join(uploads, 'tmp', 'slow.part'));
		arriving.write(Buffer.alloc(64 * 1024, 1));
		const archive = path.join(dir, 'committed.gz');
		const manifest = await writeBackup({ db, uploadsDir: uploads, limits: LIMITS, now: Date.now }, createWriteStream(archive));
		arriving.write(Buffer.alloc(64 * 1024, 2));
		await new Promise<void>((resolve) => arriving.end(resolve));
		expect(manifest.files.map((f) => f.path)).toEqual([`ab/${blob}`]);
		expect((await verifyArchive(archive)).files.map((f) => f.path)).toEqual([`ab/${blob}`]);
	});

	it('[item 6] refuses an archive naming a system catalog (pg_description) or a sequence that is not ours; the catalog is untouched', async () => {
		const catalogRows = async () =>
			(await db.query<{ n: number }>(`select count(*)::int as n from pg_catalog.pg_description where description = $1`, [PWNED]))[0]!.n;
		const users = async () => (await db.query<{ n: number }>(`select count(*)::int as n from users`))[0]!.n;
		const forged = path.join(dir, 'catalog.gz');
		// Before: the quoted name resolved to pg_catalog.pg_description and the row was inserted.
		await forgeArchive(forged, [{ name: 'pg_description', rows: [{ objoid: 1, classoid: 1259, objsubid: 0, description: PWNED }] }]);
		expect((await verifyArchive(forged)).tables[0]!.name).toBe('pg_description');
		const error = await refusal(restoreBackup({ db, dataDir: dir, file: forged, force: true }));
		expect(error.code).toBe('foreign');
		expect(error.message).toMatch(/pg_description.*not Parley's/);
		expect(await catalogRows()).toBe(0);

		const sequence = path.join(dir, 'sequence.gz');
		await forgeArchive(sequence, [], [{ name: 'pg_class', value: '1', isCalled: true }]);
		expect((await refusal(restoreBackup({ db, dataDir: dir, file: sequence, force: true }))).message).toMatch(/sequence "pg_class"/);
		expect(await users()).toBe(0);
	});

	it('[item 6] refuses a row carrying a column the table does not have, instead of dropping it silently', async () => {
		const forged = path.join(dir, 'column.gz');
		await forgeArchive(forged, [
			{ name: 'rate_limits', rows: [{ key: 'k', count: 1, window_start: new Date().toISOString(), injected: 'x' }] }
		]);
		const error = await refusal(restoreBackup({ db, dataDir: dir, file: forged, force: true }));
		expect(error.message).toMatch(/column "rate_limits\.injected"/);
		expect((await db.query(`select 1 from rate_limits where key = 'k'`)).length).toBe(0);
	});

	it('[item 7] a crafted archive of a few hundred KiB (one 128 MiB record) is refused after linear work', async () => {
		const recordBytes = 128 * 1024 * 1024;
		const head = Buffer.alloc(5);
		head[0] = RecordType.Data;
		head.writeUInt32BE(recordBytes, 1);
		const header = Buffer.from(JSON.stringify({ format: FORMAT_VERSION, app: 'parley', createdAt: new Date().toISOString() }));
		const headerHead = Buffer.alloc(5);
		headerHead[0] = RecordType.Header;
		headerHead.writeUInt32BE(header.length, 1);
		const plain = Buffer.concat([MAGIC, headerHead, header, head, Buffer.alloc(recordBytes)]);
		const crafted = path.join(dir, 'crafted.gz');
		await fs.writeFile(crafted, gzipSync(plain, { level: 9 }));
		expect((await fs.stat(crafted)).size).toBeLessThan(512 * 1024);
		const stats = { bytesCopied: 0 };
		const error = await refusal(verifyArchive(crafted, stats));
		expect(error.message).toMatch(/file bytes outside a file/);
		// Before: the buffer was joined again for each gunzipped chunk (16 KiB): about
		// recordBytes² / (2 × 16 KiB) ≈ 5 × 10^11 bytes copied. Now each byte is copied at most twice.
		expect(stats.bytesCopied).toBeGreaterThanOrEqual(recordBytes);
		expect(stats.bytesCopied).toBeLessThanOrEqual(2 * plain.length);
	});

	it('[item 8] `npm run restore` of a cut or foreign archive into a fresh, empty DATA_DIR leaves it as it was found', async () => {
		const lines: string[] = [];
		const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
		const env = (dataDir: string) => ({
			DATA_DIR: dataDir,
			LOG_LEVEL: 'silent',
			...(database.kind === 'postgres' ? { DATABASE_URL: database.location.databaseUrl } : {})
		});
		const fresh = async () => {
			const target = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-fresh-'));
			await fs.chmod(target, 0o755); // as root, the embedded server runs as `postgres`, which must enter it
			return target;
		};
		// A valid archive cut in half: refused before anything is opened.
		const whole = path.join(dir, 'whole.gz');
		await forgeArchive(whole, [{ name: 'rate_limits', rows: [{ key: 'k', count: 1, window_start: new Date().toISOString() }] }]);
		const bytes = await fs.readFile(whole);
		const cut = path.join(dir, 'cut.gz');
		await fs.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
		const empty = await fresh();
		expect(await restoreCommand([cut], env(empty), out)).toBe(1);
		expect(lines.join('\n')).toMatch(/Restore refused: .*(damaged|cut short)/);
		expect(await fs.readdir(empty)).toEqual([]);
		// A well-formed archive naming a foreign table: the database is opened (embedded: initialised
		// in DATA_DIR) before the names can be checked; what that made is removed again.
		const foreign = path.join(dir, 'foreign-table.gz');
		await forgeArchive(foreign, [{ name: 'pg_description', rows: [] }]);
		const second = await fresh();
		expect(await restoreCommand([foreign], env(second), out)).toBe(1);
		expect(lines.join('\n')).toMatch(/not Parley's/);
		expect(await fs.readdir(second)).toEqual([]);
		// A DATA_DIR that does not exist stays so.
		const missing = path.join(dir, 'not-there');
		expect(await restoreCommand([cut], env(missing), out)).toBe(1);
		await expect(fs.stat(missing)).rejects.toThrow(/ENOENT/);
		await fs.rm(empty, { recursive: true, force: true });
		await fs.rm(second, { recursive: true, force: true });
	});

	it('[item 6, signing] a server signs its archives with DATA_DIR/backup-key; restore checks the signature when given a key', async () => {
		const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-signing-'));
		const store = new BackupStore(path.join(dataDir, 'backups'));
		const info = await store.create({ db, dataDir, limits: LIMITS, now: Date.now });
		const archive = store.pathOf(info.id)!;
		// The key was made on the first backup, private like the archives.
		expect(await mode(backupKeyPathOf(dataDir))).toBe(0o600);
		const key = (await readBackupKey(backupKeyPathOf(dataDir)))!;
		const seal = { contentHash: '', signature: null as string | null };
		await verifyArchive(archive, undefined, seal);
		expect(signatureMatches(key, seal.contentHash, seal.signature)).toBe(true);
		const other = randomBytes(32);

		await restoreBackup({ db, dataDir: dir, file: archive, force: true, signingKey: key });
		expect((await refusal(restoreBackup({ db, dataDir: dir, file: archive, force: true, signingKey: other }))).message).toMatch(
			/signed with another key/
		);
		// Anyone can forge an unsigned archive with matching checksums: refused unless trusted explicitly.
		const forged = path.join(dir, 'unsigned.gz');
		await forgeArchive(forged, [{ name: 'rate_limits', rows: [{ key: 'forged', count: 1, window_start: new Date().toISOString() }] }]);
		expect((await refusal(restoreBackup({ db, dataDir: dir, file: forged, force: true, signingKey: key }))).message).toMatch(/not signed/);
		expect((await db.query(`select 1 from rate_limits where key = 'forged'`)).length).toBe(0);
		await restoreBackup({ db, dataDir: dir, file: forged, force: true, signingKey: key, allowUnsigned: true });
		expect((await db.query(`select 1 from rate_limits where key = 'forged'`)).length).toBe(1);

		// `npm run restore` uses the target's key: another server's archive is refused before anything is opened.
		const target = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-signed-target-'));
		await fs.writeFile(backupKeyPathOf(target), other.toString('hex') + '\n', { mode: 0o600 });
		const lines: string[] = [];
		const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
		const env = {
			DATA_DIR: target,
			LOG_LEVEL: 'silent',
			...(database.kind === 'postgres' ? { DATABASE_URL: database.location.databaseUrl } : {})
		};
		expect(await restoreCommand([archive, '--force'], env, out)).toBe(1);
		expect(lines.join('\n')).toMatch(/Restore refused: .*signed with another key.*--unsigned/);
		expect(await fs.readdir(target)).toEqual(['backup-key']);
		await fs.rm(target, { recursive: true, force: true });
		await fs.rm(dataDir, { recursive: true, force: true });
	});
});
