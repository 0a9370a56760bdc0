/**
 * The backups kept in DATA_DIR/backups: dated archives made by the panel, the API, the schedule
 * or the CLI. An id is the file name without its extension, checked against one pattern, so an id
 * from a URL can never name a path outside the folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/types.js';
import { BackupError } from './format.js';
import { writeBackup, uploadsDirOf, type BackupLimits } from './create.js';
import { ensureBackupKey } from './signing.js';

/** File extension of an archive (gzip inside). */
export const BACKUP_EXTENSION = '.parley-backup.gz';
const ID_PATTERN = /^parley-\d{8}-\d{6}-\d{3}Z$/;

export interface BackupInfo {
	id: string;
	name: string;
	size: number;
	createdAt: string;
}

/** The id of a backup made at `ms`: `parley-YYYYMMDD-HHMMSS-mmmZ`. */
export function backupIdAt(ms: number): string {
	const iso = new Date(ms).toISOString(); // 2026-11-27T03:15:00.123Z
	return `parley-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${iso.slice(20, 23)}Z`;
}

/** The time a backup id names, as ISO 8601. */
function createdAtOf(id: string): string {
	const [, d, t, ms] = /^parley-(\d{8})-(\d{6})-(\d{3})Z$/.exec(id)!;
	return `${d!.slice(0, 4)}-${d!.slice(4, 6)}-${d!.slice(6)}T${t!.slice(0, 2)}:${t!.slice(2, 4)}:${t!.slice(4)}.${ms}Z`;
}

/** Backups in one folder; one backup at a time per process (a second asks while the first runs: 409). */
export class BackupStore {
	#running: Promise<BackupInfo> | null = null;
	constructor(readonly dir: string) {}

	/** The archive path of `id`, or null when the id is not one of ours. */
	pathOf(id: string): string | null {
		return ID_PATTERN.test(id) ? path.join(this.dir, id + BACKUP_EXTENSION) : null;
	}

	/** Newest first. */
	async list(): Promise<BackupInfo[]> {
		let names: string[];
		try {
			names = await fs.promises.readdir(this.dir);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
			throw error;
		}
		const found: BackupInfo[] = [];
		for (const name of names) {
			if (!name.endsWith(BACKUP_EXTENSION)) continue;
			const info = await this.get(name.slice(0, -BACKUP_EXTENSION.length));
			if (info) found.push(info);
		}
		return found.sort((a, b) => (a.id < b.id ? 1 : -1));
	}

	async get(id: string): Promise<BackupInfo | null> {
		const file = this.pathOf(id);
		if (!file) return null;
		try {
			const stat = await fs.promises.stat(file);
			return { id, name: path.basename(file), size: stat.size, createdAt: createdAtOf(id) };
		} catch {
			return null;
		}
	}

	/** Makes a backup into the folder (written under a temporary name, renamed when complete). */
	create(deps: { db: Db; dataDir: string; limits: BackupLimits; now: () => number }): Promise<BackupInfo> {
		if (this.#running) throw new BackupError('busy', 'A backup is already being made; try again when it is done');
		this.#running = (async () => {
			await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
			const id = backupIdAt(deps.now());
			const file = this.pathOf(id)!;
			const partial = `${file}.partial`;
			try {
				await writeBackup(
					{
						db: deps.db,
						uploadsDir: uploadsDirOf(deps.dataDir),
						limits: deps.limits,
						now: deps.now,
						signingKey: await ensureBackupKey(deps.dataDir)
					},
					fs.createWriteStream(partial, { mode: 0o600 })
				);
				await fs.promises.rename(partial, file);
			} catch (error) {
				await fs.promises.rm(partial, { force: true });
				throw error;
			}
			return (await this.get(id))!;
		})().finally(() => {
			this.#running = null;
		});
		return this.#running;
	}

	/** Deletes one; false when there was none. */
	async remove(id: string): Promise<boolean> {
		const file = this.pathOf(id);
		if (!file) return false;
		try {
			await fs.promises.unlink(file);
			return true;
		} catch {
			return false;
		}
	}

	/** Keeps the newest `keep` backups, deletes the rest (scheduled backups' retention). */
	async prune(keep: number): Promise<string[]> {
		const old = (await this.list()).slice(keep);
		for (const backup of old) await this.remove(backup.id);
		return old.map((b) => b.id);
	}
}

/** Where backups live under DATA_DIR. */
export const backupsDirOf = (dataDir: string) => path.join(dataDir, 'backups');
