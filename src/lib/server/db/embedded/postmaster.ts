/**
 * PostgreSQL's lock file, `postmaster.pid`, read to find a server that an earlier Parley left
 * running (a `kill -9` of Parley does not stop its database) and to see when a server is ready.
 * Lines, as PostgreSQL writes them: pid, data directory, start time, port, socket directory,
 * listen address, shared memory key, status ("starting", "ready", "stopping").
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface PostmasterPid {
	pid: number;
	dataDir: string;
	port: number;
	status: string;
}

/** Reads `DIR/postmaster.pid`; null when there is none (or it is still being written). */
export async function readPostmasterPid(dataDir: string): Promise<PostmasterPid | null> {
	let text: string;
	try {
		text = await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
	} catch {
		return null;
	}
	const lines = text.split('\n');
	const pid = Number(lines[0]);
	if (!Number.isInteger(pid) || pid <= 0) return null;
	return { pid, dataDir: lines[1] ?? '', port: Number(lines[3]), status: (lines[7] ?? '').trim() };
}

/** True while `pid` is a live process (a zombie, dead but not yet reaped, counts as gone). */
export async function isAlive(pid: number): Promise<boolean> {
	try {
		process.kill(pid, 0);
	} catch (error) {
		// EPERM: it exists but belongs to another user.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
	try {
		const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return true; // no /proc (macOS): kill(0) is all we know
	}
}

/**
 * True when `pid` is a postmaster of `dataDir` (Linux: its command line names the directory, or
 * its working directory is it; a postmaster chdirs there). A pid from a stale lock file may now
 * belong to anything, the machine's own PostgreSQL included, which must not get our signal.
 * Where /proc is missing (macOS), the live pid is taken for ours.
 */
async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
	if (!(await fs.stat('/proc/self').catch(() => null))) return true;
	const dir = await fs.realpath(dataDir).catch(() => path.resolve(dataDir));
	const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
	const args = cmdline.split('\0');
	if (!args[0]?.endsWith('postgres')) return false;
	if (args.includes(dir) || args.includes(path.resolve(dataDir))) return true;
	return (await fs.readlink(`/proc/${pid}/cwd`).catch(() => '')) === dir;
}

/** Polls until `pid` is gone; false when `timeoutMs` passed first. */
export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (await isAlive(pid)) {
		if (Date.now() > deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return true;
}

/**
 * Makes sure no server runs on `dataDir` before we start one: a live postmaster left by an earlier
 * Parley is stopped (fast shutdown: it rolls back open transactions and checkpoints what was
 * committed; immediate shutdown if it does not stop in time); a lock file whose pid is dead or is
 * some other program (pids are reused) is removed, so PostgreSQL never meets a stale lock.
 * Returns the pid it stopped, if any.
 */
export async function clearLeftover(dataDir: string, options: { stopTimeoutMs: number }): Promise<number | null> {
	const found = await readPostmasterPid(dataDir);
	if (!found) return null;
	if ((await isAlive(found.pid)) && (await isPostmasterOf(found.pid, dataDir))) {
		process.kill(found.pid, 'SIGINT');
		if (!(await waitGone(found.pid, options.stopTimeoutMs))) {
			process.kill(found.pid, 'SIGQUIT');
			if (!(await waitGone(found.pid, options.stopTimeoutMs)))
				throw new Error(`an earlier embedded PostgreSQL (pid ${found.pid}) on ${dataDir} does not stop`);
		}
		// A postmaster removes its own lock file on a clean stop; after SIGQUIT it may not have.
		await fs.rm(path.join(dataDir, 'postmaster.pid'), { force: true });
		return found.pid;
	}
	await fs.rm(path.join(dataDir, 'postmaster.pid'), { force: true });
	return null;
}
