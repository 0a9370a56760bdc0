/**
 * Which operating-system user runs the embedded PostgreSQL. PostgreSQL refuses to run as root, so
 * a Parley running as root starts it as the `postgres` user (created when missing, as Docker-style
 * root-only systems have none); any other user runs it as itself.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

const run = promisify(execFile);

/** The user PostgreSQL runs as when Parley is root. */
export const SERVER_USER = 'postgres';

/** uid/gid to hand to `spawn`, or null: run as Parley's own user. */
export interface ServerUser {
	name: string;
	uid: number;
	gid: number;
}

async function lookup(name: string): Promise<ServerUser | null> {
	try {
		const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
		return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
	} catch {
		return null;
	}
}

/** Null when not root; else the `postgres` user, created first when `createPostgresUser` allows. */
export async function serverUser(options: { log: Logger; createPostgresUser: boolean }): Promise<ServerUser | null> {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
	let user = await lookup(SERVER_USER);
	if (!user) {
		if (!options.createPostgresUser)
			throw new Error(`Parley runs as root and PostgreSQL refuses root: create a "${SERVER_USER}" user, or run Parley as another user`);
		try {
			await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER]);
		} catch (error) {
			throw new Error(
				`Parley runs as root and could not create the "${SERVER_USER}" user for PostgreSQL (${(error as Error).message.trim()})`,
				{
					cause: error
				}
			);
		}
		user = await lookup(SERVER_USER);
		if (!user) throw new Error(`the "${SERVER_USER}" user was created but cannot be found`);
		options.log.warn(
			{ user: user.name, uid: user.uid },
			'created the system user postgres for the embedded PostgreSQL (it refuses to run as root)'
		);
	} else {
		options.log.info({ user: user.name, uid: user.uid }, 'running the embedded PostgreSQL as user postgres (it refuses to run as root)');
	}
	return user;
}

/**
 * Throws a clear message when `user` cannot enter `dir` (root made it, or a parent, private):
 * otherwise initdb fails later with a bare "Permission denied".
 */
export async function assertCanEnter(user: ServerUser, dir: string): Promise<void> {
	for (let current = path.resolve(dir); ; current = path.dirname(current)) {
		const stat = await fs.stat(current);
		const bits = stat.uid === user.uid ? stat.mode >> 6 : stat.gid === user.gid ? stat.mode >> 3 : stat.mode;
		if ((bits & 1) === 0)
			throw new Error(
				`the embedded PostgreSQL runs as "${user.name}" (PostgreSQL refuses root), which cannot enter ${current}: ` +
					`allow it (chmod o+x ${current}) or choose a DATA_DIR it can reach`
			);
		if (current === path.dirname(current)) return;
	}
}
