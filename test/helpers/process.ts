// Parley as a real child process (the built server), for crash tests: kill -9 and restart, on a
// test database (DATABASE_URL) or on the embedded default (only DATA_DIR: Parley starts its own).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { TestDatabase } from './database.js';
import { waitFor } from './sync.js';

/** A free port on loopback. */
export function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export interface ServerProcess {
	url: string;
	port: number;
	child: ChildProcess;
	/** Resolves with the exit code (null after a signal) when the process ends. */
	exited: Promise<number | null>;
	/** Everything it wrote to stdout and stderr so far (when started with `capture`). */
	output(): string;
	/** SIGKILL: no shutdown code runs. */
	kill9(): Promise<void>;
	/** SIGTERM: graceful stop; resolves with the exit code. */
	stop(): Promise<number | null>;
}

export interface ServerProcessOptions {
	port?: number;
	/** Keep stdout/stderr for `output()` instead of passing them through. */
	capture?: boolean;
	/** Run as this user (the test runs as root and checks the non-root path). */
	user?: { uid: number; gid: number };
	env?: Record<string, string>;
}

/** Starts `server/serve.js` and waits until /readyz answers; `target` is a test database or a DATA_DIR. */
export async function startServerProcess(
	target: TestDatabase | { dataDir: string },
	options: ServerProcessOptions = {}
): Promise<ServerProcess> {
	const chosen = options.port ?? (await freePort());
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		PORT: String(chosen),
		LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? (options.capture ? 'info' : 'warn'),
		...options.env
	};
	delete env.DATABASE_URL;
	if ('location' in target) env.DATABASE_URL = target.location.databaseUrl;
	else env.DATA_DIR = target.dataDir;
	const child = spawn(process.execPath, [path.resolve('server/serve.js')], {
		env,
		stdio: ['ignore', options.capture ? 'pipe' : 'inherit', options.capture ? 'pipe' : 'inherit'],
		...options.user
	});
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const url = `http://127.0.0.1:${chosen}`;
	await waitFor(
		async () => {
			if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output.slice(-2000)}`);
			try {
				return (await fetch(`${url}/readyz`)).status === 200;
			} catch {
				return false;
			}
		},
		{ timeoutMs: 60_000, what: 'server process ready' }
	);
	return {
		url,
		port: chosen,
		child,
		exited,
		output: () => output,
		async kill9() {
			child.kill('SIGKILL');
			await exited;
		},
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			return exited;
		}
	};
}
