/**
 * Running as root in a folder `postgres` cannot enter (a 0700 home, a `mktemp -d` clone): PostgreSQL
 * refuses root, so it runs as `postgres`, which must reach its programs and its cluster. Rather
 * than opening up the folders above (what `.ci/run` used to do), Parley keeps, under a folder it
 * creates for the purpose (`PRIVATE_ROOT`, root-owned, 0755), a copy of the binaries (per build)
 * and, when `DATA_DIR` is out of reach too, the cluster itself (0700, owned by `postgres`), with
 * `DATA_DIR/pg` a symbolic link to it so operators still find it there. Nothing above
 * `DATA_DIR` or `node_modules` changes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { PostgresBinaries } from './binaries.js';
import type { ServerUser } from './server-user.js';

/** Where the copies live: beside other services' state, traversable by `postgres`. */
export const PRIVATE_ROOT = '/var/lib/parley-embedded';

/** True when `user` can enter `dir` and every folder above it. */
export async function canEnter(user: ServerUser, dir: string): Promise<boolean> {
	for (let current = path.resolve(dir); ; current = path.dirname(current)) {
		const stat = await fs.stat(current);
		const bits = stat.uid === user.uid ? stat.mode >> 6 : stat.gid === user.gid ? stat.mode >> 3 : stat.mode;
		if ((bits & 1) === 0) return false;
		if (current === path.dirname(current)) return true;
	}
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Makes `dir` (and its parents) root-owned 0755 folders, refusing one that is not root's or is writable by others. */
async function ownFolder(dir: string): Promise<void> {
	await fs.mkdir(dir, { recursive: true, mode: 0o755 });
	const stat = await fs.stat(dir);
	if (stat.uid !== 0 || (stat.mode & 0o022) !== 0)
		throw new Error(`${dir} must belong to root and be writable by root only (it holds the embedded PostgreSQL's programs)`);
	if ((stat.mode & 0o755) !== 0o755) await fs.chmod(dir, 0o755);
}

/**
 * The binaries `user` can run: these when reachable, else a copy under `root` (made once per
 * source folder and size; a half-made copy is never used: it is renamed into place when whole).
 */
export async function reachableBinaries(
	bin: PostgresBinaries,
	user: ServerUser,
	log: Logger,
	root: string = PRIVATE_ROOT
): Promise<PostgresBinaries> {
	const binDir = path.dirname(bin.postgres);
	if (await canEnter(user, binDir)) return bin;
	const native = path.dirname(binDir);
	const stamp = (await fs.stat(bin.postgres)).size;
	const target = path.join(root, `bin-${shortHash(`${native}:${stamp}`)}`);
	await ownFolder(root);
	try {
		await fs.access(path.join(target, 'bin', path.basename(bin.postgres)));
	} catch {
		const temp = await fs.mkdtemp(path.join(root, '.copy-'));
		try {
			await fs.chmod(temp, 0o755);
			await fs.cp(native, path.join(temp, 'native'), { recursive: true, verbatimSymlinks: true });
			await fs.rm(target, { recursive: true, force: true });
			await fs.rename(path.join(temp, 'native'), target);
		} finally {
			await fs.rm(temp, { recursive: true, force: true });
		}
		log.info({ from: native, to: target }, 'copied the embedded PostgreSQL programs where the postgres user can reach them');
	}
	return {
		initdb: path.join(target, 'bin', path.basename(bin.initdb)),
		postgres: path.join(target, 'bin', path.basename(bin.postgres))
	};
}

/**
 * The cluster directory `user` can use for `dir` (`DATA_DIR/pg`): `dir` itself when reachable
 * or already a real folder (then the caller's clear error applies), else a folder under `root`
 * named after `dir`'s real path, linked from `dir`.
 */
export async function reachableClusterDir(dir: string, user: ServerUser, log: Logger, root: string = PRIVATE_ROOT): Promise<string> {
	const parent = path.dirname(dir);
	if (await canEnter(user, parent)) return dir;
	const existing = await fs.lstat(dir).catch(() => null);
	if (existing?.isSymbolicLink()) return fs.realpath(dir).catch(() => fs.readlink(dir));
	if (existing) return dir;
	const home = path.join(root, `data-${shortHash(await fs.realpath(parent))}`);
	await ownFolder(root);
	await ownFolder(home);
	const cluster = path.join(home, 'pg');
	await fs.symlink(cluster, dir);
	log.info(
		{ dataDir: parent, cluster },
		'the embedded PostgreSQL keeps its cluster where the postgres user can reach it (DATA_DIR/pg links there)'
	);
	return cluster;
}
