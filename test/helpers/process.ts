// Parley as a real child process (the built server), for crash tests: kill -9 and restart.
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
	/** SIGKILL: no shutdown code runs. */
	kill9(): Promise<void>;
	/** SIGTERM: graceful stop. */
	stop(): Promise<void>;
}

/** Starts `server/serve.js` on `database` and waits until /readyz answers. */
export async function startServerProcess(database: TestDatabase, port?: number): Promise<ServerProcess> {
	const chosen = port ?? (await freePort());
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		PORT: String(chosen),
		LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn'
	};
	env.DATABASE_URL = database.location.databaseUrl;
	const child = spawn(process.execPath, [path.resolve('server/serve.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `http://127.0.0.1:${chosen}`;
	await waitFor(
		async () => {
			if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
			try {
				return (await fetch(`${url}/readyz`)).status === 200;
			} catch {
				return false;
			}
		},
		{ timeoutMs: 30_000, what: 'server process ready' }
	);
	return {
		url,
		port: chosen,
		child,
		async kill9() {
			child.kill('SIGKILL');
			await exited;
		},
		async stop() {
			child.kill('SIGTERM');
			await exited;
		}
	};
}
