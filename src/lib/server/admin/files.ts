/** Walking a directory of files (uploads): sizes and relative paths, streamed, no symlinks followed. */
import fs from 'node:fs/promises';
import path from 'node:path';

/** Every regular file under `root`, as paths relative to it with `/` separators, sorted; none when `root` is missing. */
export async function* walkFiles(root: string, prefix = ''): AsyncGenerator<{ rel: string; abs: string; size: number }> {
	let entries;
	try {
		entries = await fs.readdir(path.join(root, prefix), { withFileTypes: true });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw error;
	}
	entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	for (const entry of entries) {
		const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (entry.isDirectory()) yield* walkFiles(root, rel);
		else if (entry.isFile()) {
			const abs = path.join(root, rel);
			yield { rel, abs, size: (await fs.stat(abs)).size };
		}
	}
}

/** Total bytes and count of the files under `root`. */
export async function directorySize(root: string): Promise<{ bytes: number; files: number }> {
	let bytes = 0;
	let files = 0;
	for await (const file of walkFiles(root)) {
		bytes += file.size;
		files++;
	}
	return { bytes, files };
}
