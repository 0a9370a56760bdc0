/**
 * The operator commands `npm run backup -- --out FILE` and `npm run restore -- FILE [--force]`.
 * Like `main.ts`, they read the environment once through `loadConfig`, so they find the same
 * DATABASE_URL / DATA_DIR as the server.
 *
 * backup: with DATABASE_URL, reads the database directly (a consistent snapshot, server running
 * or not). Embedded database: if a server runs on this DATA_DIR it is asked to make the archive
 * (it holds the database open), else the CLI starts the embedded server itself and stops it after.
 * restore: the server must be stopped; the archive is checked whole before anything changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '$lib/server/config';
import { openDatabase } from '$lib/server/db';
import { writeBackup, uploadsDirOf } from '$lib/server/admin/backup/create';
import { BackupError } from '$lib/server/admin/backup/format';
import { restoreBackup } from '$lib/server/admin/backup/restore';
import { verifyArchive, type ArchiveSeal } from '$lib/server/admin/backup/read';
import { backupKeyPathOf, ensureBackupKey, readBackupKey, signatureMatches } from '$lib/server/admin/backup/signing';
import { readControlFile } from '$lib/server/admin/control';
import { backupsDirOf } from '$lib/server/admin/backup/store';

/** What a command prints and how it ends; `main` turns it into output and an exit code. */
type Out = { log: (line: string) => void; error: (line: string) => void };

function configOrExit(env: Record<string, string | undefined>, out: Out): Config | null {
	try {
		return loadConfig(env);
	} catch (error) {
		if (error instanceof ConfigError) {
			out.error(`Parley: ${error.message}`);
			return null;
		}
		throw error;
	}
}

/** A server answering on this DATA_DIR's control file, or null. */
async function runningServer(dataDir: string) {
	const control = await readControlFile(dataDir);
	if (!control) return null;
	try {
		return (await fetch(`${control.url}/readyz`)).ok ? control : null;
	} catch {
		return null;
	}
}

/** Opens the configured database for a command: the embedded server is started (and later stopped) by the command itself. */
function openForCli(config: Config, out: Out) {
	return openDatabase({
		databaseUrl: config.databaseUrl,
		dataDir: config.dataDir,
		limits: config.limits,
		log: pino({ level: 'warn' }),
		onEmbeddedExit: () => {
			out.error('The embedded PostgreSQL stopped unexpectedly.');
			process.exitCode = 1;
		}
	});
}

/** `npm run backup -- --out FILE`; resolves to the exit code. */
export async function backupCommand(argv: string[], env: Record<string, string | undefined>, out: Out = console): Promise<number> {
	const at = argv.indexOf('--out');
	const target = at >= 0 ? argv[at + 1] : undefined;
	if (!target) {
		out.error('usage: npm run backup -- --out FILE');
		return 2;
	}
	const config = configOrExit(env, out);
	if (!config) return 1;
	const file = path.resolve(target);
	try {
		const running = config.databaseUrl ? null : await runningServer(config.dataDir);
		if (running) {
			// The embedded database belongs to the running server: it makes the archive, we copy it.
			const res = await fetch(`${running.url}/api/admin/backups`, {
				method: 'POST',
				headers: { authorization: `Bearer ${running.token}` }
			});
			const body = (await res.json()) as { backup?: { name: string }; error?: { message: string } };
			if (res.status !== 201 || !body.backup) throw new Error(body.error?.message ?? `the server answered ${res.status}`);
			await fs.promises.copyFile(path.join(backupsDirOf(config.dataDir), body.backup.name), file);
			out.log(`Backup written to ${file} (made by the running server; also kept as ${body.backup.name})`);
			return 0;
		}
		const db = await openForCli(config, out);
		const partial = `${file}.partial`;
		try {
			const manifest = await writeBackup(
				{
					db,
					uploadsDir: uploadsDirOf(config.dataDir),
					limits: config.limits,
					now: Date.now,
					signingKey: await ensureBackupKey(config.dataDir)
				},
				fs.createWriteStream(partial, { mode: 0o600 })
			);
			await fs.promises.rename(partial, file);
			const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
			out.log(`Backup written to ${file}: ${manifest.tables.length} tables, ${rows} rows, ${manifest.files.length} files`);
		} catch (error) {
			await fs.promises.rm(partial, { force: true });
			throw error;
		} finally {
			await db.close();
		}
		return 0;
	} catch (error) {
		out.error(`Backup failed: ${(error as Error).message}`);
		return 1;
	}
}

/** `npm run restore -- FILE [--force]`; resolves to the exit code. */
export async function restoreCommand(argv: string[], env: Record<string, string | undefined>, out: Out = console): Promise<number> {
	const force = argv.includes('--force');
	const allowUnsigned = argv.includes('--unsigned');
	const keyAt = argv.indexOf('--key');
	const keyFile = keyAt >= 0 ? argv[keyAt + 1] : undefined;
	const file = argv.find((arg, i) => !arg.startsWith('--') && (keyAt < 0 || i !== keyAt + 1));
	if (!file || (keyAt >= 0 && !keyFile)) {
		out.error('usage: npm run restore -- FILE [--force] [--key KEYFILE] [--unsigned]');
		return 2;
	}
	const config = configOrExit(env, out);
	if (!config) return 1;
	if (!config.databaseUrl && (await runningServer(config.dataDir))) {
		out.error('Restore refused: a Parley server is running on this DATA_DIR; stop it first.');
		return 1;
	}
	const source = path.resolve(file);
	// The key archives must be signed with: --key, else the target's own (none in a fresh DATA_DIR).
	let signingKey: Buffer | null;
	try {
		signingKey = await readBackupKey(keyFile ? path.resolve(keyFile) : backupKeyPathOf(config.dataDir));
		if (keyFile && !signingKey) throw new Error(`${keyFile} does not exist`);
	} catch (error) {
		out.error(`Restore refused: ${(error as Error).message}. Nothing was changed.`);
		return 1;
	}
	// Checked whole before anything is opened: opening the embedded database initialises DATA_DIR
	// (pg/, pg-password), and a cut or foreign archive must leave the folder as it was found.
	try {
		const seal: ArchiveSeal = { contentHash: '', signature: null };
		await verifyArchive(source, undefined, seal);
		if (signingKey && !allowUnsigned && !signatureMatches(signingKey, seal.contentHash, seal.signature))
			throw new BackupError(
				'foreign',
				`The archive is ${seal.signature ? 'signed with another key' : 'not signed'}, not with ${keyFile ?? "this DATA_DIR's backup key"}; restore it only if you made it, with --unsigned`
			);
	} catch (error) {
		if (error instanceof BackupError) {
			out.error(`Restore refused: ${error.message}. Nothing was changed.`);
			return 1;
		}
		throw error;
	}
	// A DATA_DIR that is missing or empty now is put back so if the restore fails after all.
	const before = await entriesOf(config.dataDir);
	let db;
	try {
		db = await openForCli(config, out);
	} catch (error) {
		await putBack(config.dataDir, before);
		out.error(`Restore failed: cannot open the database (${(error as Error).message})`);
		return 1;
	}
	let ok = false;
	try {
		const result = await restoreBackup({ db, dataDir: config.dataDir, file: source, force, log: out.log, signingKey, allowUnsigned });
		out.log(`Restored ${result.rows} rows and ${result.files} files from ${file} (made ${result.manifest.createdAt}). Start Parley now.`);
		ok = true;
		return 0;
	} catch (error) {
		if (error instanceof BackupError) out.error(`Restore refused: ${error.message}. Nothing was changed.`);
		else out.error(`Restore failed: ${(error as Error).message}. The database transaction was rolled back.`);
		return 1;
	} finally {
		await db.close();
		if (!ok) await putBack(config.dataDir, before);
	}
}

/** The names in `dir`, or null when it does not exist. */
async function entriesOf(dir: string): Promise<string[] | null> {
	try {
		return await fs.promises.readdir(dir);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}

/**
 * After a failed restore into a DATA_DIR that was missing or empty (`before`), removes what the
 * attempt created there (the embedded database's `pg/` and `pg-password`, a staging folder), so
 * the folder is as it was found. A DATA_DIR that held anything is never touched here: the
 * restore's own transaction and staging already leave it as it was.
 */
async function putBack(dir: string, before: string[] | null): Promise<void> {
	if (before === null) return void (await fs.promises.rm(dir, { recursive: true, force: true }));
	if (before.length > 0) return;
	for (const name of (await entriesOf(dir)) ?? []) await fs.promises.rm(path.join(dir, name), { recursive: true, force: true });
}
