/** Walking a directory of files (uploads): sizes and relative paths, streamed, no symlinks followed. */
import fs from 'node:fs/promises';
import path from 'node:path';

/** Folder of uploads still arriving (`uploads/tmp/*.part`): never part of a backup or a figure. */
export const UPLOADS_TMP_DIR = 'tmp';
/** Suffix of a file still being written (an upload arriving, a re-encoded image not yet placed). */
const PARTIAL_SUFFIX = '.part';

/**
 * Every regular file under `root`, as paths relative to it with `/` separators, sorted; none when
 * `root` is missing. A file or folder that vanishes while the walk runs (the sweeper removed it)
 * is passed over, not an error.
 */
export async function* walkFiles(
	root: string,
	prefix = '',
	skip: (rel: string, isDirectory: boolean) => boolean = () => false
): AsyncGenerator<{ rel: string; abs: string; size: number }> {
	let entries;
	try {
		entries = await fs.readdir(path.join(root, prefix), { withFileTypes: true });
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || (prefix && code === 'ENOTDIR')) return;
		throw error;
	}
	entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	for (const entry of entries) {
		const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (skip(rel, entry.isDirectory())) continue;
		if (entry.isDirectory()) yield* walkFiles(root, rel, skip);
		else if (entry.isFile()) {
			const abs = path.join(root, rel);
			const info = await fs.stat(abs).catch((error: NodeJS.ErrnoException) => {
				if (error.code === 'ENOENT') return null;
				throw error;
			});
			if (info?.isFile()) yield { rel, abs, size: info.size };
		}
	}
}

/**
 * The committed files under an uploads folder: everything but `tmp/` (uploads still arriving,
 * which grow and vanish) and any `*.part`. Backups and the admin figures read only these.
 */
export function committedFiles(uploadsDir: string): AsyncGenerator<{ rel: string; abs: string; size: number }> {
	return walkFiles(uploadsDir, '', (rel, isDirectory) => (isDirectory && rel === UPLOADS_TMP_DIR) || rel.endsWith(PARTIAL_SUFFIX));
}

/** Total bytes and count of the committed files under an uploads folder. */
export async function directorySize(root: string): Promise<{ bytes: number; files: number }> {
	let bytes = 0;
	let files = 0;
	for await (const file of committedFiles(root)) {
		bytes += file.size;
		files++;
	}
	return { bytes, files };
}
