// SIGTERM/SIGINT stop the built server within SHUTDOWN_TIMEOUT_MS whatever is pending (SPEC §2):
// also when the parent that sent the signal exits at once, so the server's stdout/stderr close (or
// stay open, full and unread) in the middle of its shutdown; a second signal exits at once.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/process.js';
import { waitFor } from '../helpers/sync.js';

/** The deadline the servers here get: short, so the repeated runs stay quick. */
const SHUTDOWN_TIMEOUT_MS = 3000;
/** How long past the deadline a process may take to vanish from the process table (a loaded machine). */
const REAP_SLACK_MS = 5000;

/**
 * The parent: starts the server, reports its pid over IPC, and on "term" sends SIGTERM and exits
 * at once. `closed`: the server's stdout/stderr are pipes to this parent, so they close as it exits.
 * `stuck`: they are a named pipe (FIFO) whose reading end the test holds open and never reads.
 */
const PARENT_SOURCE = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const [serve, variant, fifo] = process.argv.slice(-3);
const out = variant === 'stuck' ? fs.openSync(fifo, 'w') : 'pipe';
const stdio = ['ignore', out, out];
// The IPC channel is this parent's own: the server must not inherit its variables.
const env = { ...process.env };
delete env.NODE_CHANNEL_FD;
delete env.NODE_CHANNEL_SERIALIZATION_MODE;
const server = spawn(process.execPath, [serve], { stdio, env });
if (variant === 'closed') { server.stdout.pause(); server.stderr.pause(); }
process.send({ pid: server.pid });
process.on('message', (message) => {
	if (message !== 'term') return;
	server.kill('SIGTERM');
	process.exit(0);
});
`;

/** The environment of a server on `port` and the test database. */
function serverEnv(database: TestDatabase, port: number, extra: Record<string, string> = {}): Record<string, string> {
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		PORT: String(port),
		LOG_LEVEL: 'info',
		SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
		...extra
	};
	// Both kinds are a PostgreSQL server reached by URL; DATA_DIR only holds generated keys and uploads here.
	env.DATABASE_URL = database.location.databaseUrl;
	env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'parley-shutdown-'));
	return env;
}

/** True while `pid` runs (a zombie nobody has reaped yet counts as gone: it runs no code). */
function running(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
}

/** Waits until the server on `port` answers /readyz. */
async function ready(port: number, child: ChildProcess): Promise<void> {
	await waitFor(
		async () => {
			if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
			try {
				return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
			} catch {
				return false;
			}
		},
		{ timeoutMs: 60_000, what: 'server ready' }
	);
}

/**
 * Requests whose log lines are long (an 8 KB path each, logged in full), so the server writes
 * `lines` × 8 KB: for `stuck`, far more than an unread pipe holds.
 */
async function chatter(port: number, lines: number): Promise<void> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
	const path = `/no-such-page/${'x'.repeat(8 * 1024)}`;
	const one = () =>
		new Promise<void>((resolve) => {
			http.get({ host: '127.0.0.1', port, path, agent }, (res) => res.resume().on('end', resolve)).on('error', () => resolve());
		});
	for (let sent = 0; sent < lines; sent += 16) await Promise.all(Array.from({ length: 16 }, one));
	agent.destroy();
}

/**
 * A form post the server has begun handling (its "100 Continue" says so) that sends part of its
 * body and then nothing: a request still running when the signal comes.
 */
async function pendingRequest(port: number): Promise<http.ClientRequest> {
	const request = http.request({
		host: '127.0.0.1',
		port,
		method: 'POST',
		path: '/login',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			'content-length': '1000',
			origin: `http://localhost:${port}`,
			expect: '100-continue'
		}
	});
	request.on('error', () => {});
	request.flushHeaders();
	await new Promise((resolve) => request.once('continue', resolve));
	request.write('username=someone&');
	return request;
}

/** Starts the server as a direct child whose stdout the test reads; resolves once it is ready. */
async function startDirect(database: TestDatabase, extra: Record<string, string> = {}) {
	const port = await freePort();
	const child = spawn(process.execPath, [path.resolve('server/serve.js')], {
		env: serverEnv(database, port, extra),
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	await ready(port, child);
	return { port, child, exited, output: () => output };
}

describe(`shutdown (${testDatabaseKind()})`, () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase();
	});
	afterAll(() => database?.destroy());

	const runs: Array<'closed' | 'stuck'> = ['closed', 'closed', 'closed', 'closed', 'closed', 'stuck', 'stuck'];
	it.each(runs.map((variant, index) => [index + 1, variant] as const))(
		'run %i: the parent exits right after SIGTERM (output %s); the server is gone within the deadline',
		async (_run, variant) => {
			const port = await freePort();
			// `stuck`: a FIFO (64 KiB) read by nobody, open for reading here so writes fill it rather than fail.
			const fifo = path.join(os.tmpdir(), `parley-shutdown-${process.pid}-${Date.now()}.fifo`);
			execFileSync('mkfifo', [fifo]);
			const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
			const parent = spawn(process.execPath, ['-e', PARENT_SOURCE, '--', path.resolve('server/serve.js'), variant, fifo], {
				env: serverEnv(database, port),
				stdio: ['ignore', 'pipe', 'pipe', 'ipc']
			});
			parent.stdout!.pause();
			parent.stderr!.pause();
			const pid = await new Promise<number>((resolve, reject) => {
				parent.once('message', (message: { pid: number }) => resolve(message.pid));
				parent.once('exit', (code) => reject(new Error(`parent exited with ${code}`)));
			});
			try {
				await ready(port, parent);
				// Log lines the server must still write while it stops: for `stuck`, far more than the pipe holds.
				await chatter(port, variant === 'stuck' ? 256 : 32);
				const parentGone = new Promise((resolve) => parent.once('exit', resolve));
				parent.send('term');
				await parentGone;
				await waitFor(() => !running(pid), { timeoutMs: SHUTDOWN_TIMEOUT_MS + REAP_SLACK_MS, what: `server ${pid} to exit` });
				expect(running(pid)).toBe(false);
			} finally {
				if (running(pid)) process.kill(pid, 'SIGKILL');
				parent.stdout!.destroy();
				parent.stderr!.destroy();
				fs.closeSync(reader);
				fs.rmSync(fifo, { force: true });
			}
		},
		60_000
	);

	it('stops gracefully (exit 0) when nothing holds it up', async () => {
		// A roomy deadline: on a loaded machine a clean stop can take longer than the runs' 3 s, and
		// this case is about the exit code of a stop that finishes, not about the deadline.
		const server = await startDirect(database, { SHUTDOWN_TIMEOUT_MS: '30000' });
		server.child.kill('SIGTERM');
		expect(await server.exited).toBe(0);
		expect(server.output()).toContain('Parley stopped');
	}, 60_000);

	it('a second signal exits at once, with the running request still pending', async () => {
		const server = await startDirect(database, { SHUTDOWN_TIMEOUT_MS: '60000' });
		const pending = await pendingRequest(server.port);
		try {
			server.child.kill('SIGTERM');
			await waitFor(() => server.output().includes('"stopping"'), { what: 'stopping logged' });
			server.child.kill('SIGINT');
			// 128 + SIGINT: the second signal's exit, not the graceful one (0), which waits for the request.
			expect(await server.exited).toBe(130);
			expect(server.output()).toContain('second signal');
			expect(server.output()).not.toContain('Parley stopped');
		} finally {
			pending.destroy();
		}
	}, 60_000);

	it('exits at the deadline (exit 1) when a request still runs', async () => {
		const server = await startDirect(database, { SHUTDOWN_TIMEOUT_MS: '1000' });
		const pending = await pendingRequest(server.port);
		try {
			server.child.kill('SIGTERM');
			expect(await server.exited).toBe(1);
			expect(server.output()).toContain('shutdown deadline passed');
		} finally {
			pending.destroy();
		}
	}, 60_000);
});
