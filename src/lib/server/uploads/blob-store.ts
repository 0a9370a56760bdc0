/**
 * Uploaded bytes on disk, named by their SHA-256 (`<root>/ab/abcdef…`): the same bytes are stored
 * once. Names come only from our own hashes, never from what a client sent.
 */
import { randomId } from '../ids.js';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/**
 * Uploads are private to Parley's own user, as backups are: other local users of the host must
 * not read them (folders 0700, files 0600, whatever the umask).
 */
export const UPLOAD_DIR_MODE = 0o700;
export const UPLOAD_FILE_MODE = 0o600;

/** The content-addressed file store under DATA_DIR/uploads. */
export class BlobStore {
	readonly tmpDir: string;

	constructor(readonly root: string) {
		this.tmpDir = path.join(root, 'tmp');
	}

	/** Creates the directories (again, should someone have removed them). */
	async ready(): Promise<void> {
		await mkdir(this.tmpDir, { recursive: true, mode: UPLOAD_DIR_MODE });
		// Folders made by an older Parley (0755) are closed too.
		await Promise.all([chmod(this.root, UPLOAD_DIR_MODE), chmod(this.tmpDir, UPLOAD_DIR_MODE)]);
	}

	/** Where the blob `sha256` lives. */
	pathOf(sha256: string): string {
		if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
		return path.join(this.root, sha256.slice(0, 2), sha256);
	}

	/** Writes bytes made on the server (a re-encoded image) to a temporary file. */
	async writeTemp(bytes: Uint8Array): Promise<string> {
		await this.ready();
		const file = path.join(this.tmpDir, `${randomId()}.part`);
		await writeFile(file, bytes, { flag: 'wx', mode: UPLOAD_FILE_MODE });
		return file;
	}

	/** Moves a temporary file to its place; when the bytes are stored already, the copy goes. */
	async place(tempPath: string, sha256: string): Promise<void> {
		const target = this.pathOf(sha256);
		if (await exists(target)) return void (await rm(tempPath, { force: true }));
		await mkdir(path.dirname(target), { recursive: true, mode: UPLOAD_DIR_MODE });
		await chmod(tempPath, UPLOAD_FILE_MODE);
		await rename(tempPath, target);
	}

	/**
	 * Removes up to `limit` temporary files last written before `before` (ms): what a crash or a
	 * killed process left behind. Returns how many went.
	 */
	async removeStaleTemps(before: number, limit: number): Promise<number> {
		let removed = 0;
		for (const name of await readdir(this.tmpDir).catch(() => [] as string[])) {
			if (removed >= limit) break;
			const file = path.join(this.tmpDir, name);
			const info = await stat(file).catch(() => null);
			if (info?.isFile() && info.mtimeMs < before) {
				await rm(file, { force: true });
				removed++;
			}
		}
		return removed;
	}

	/** Removes a blob (no error when it is gone already). */
	async remove(sha256: string): Promise<void> {
		await rm(this.pathOf(sha256), { force: true });
	}
}

async function exists(file: string): Promise<boolean> {
	try {
		await stat(file);
		return true;
	} catch {
		return false;
	}
}
