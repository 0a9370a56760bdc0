// Helpers shared by the benchmarks: start a built Parley as a child process, read its memory,
// make a throw-away database on the local PostgreSQL, write results.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Resident memory of a process in MiB (Linux /proc). */
export function rssMiB(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return +(kb / 1024).toFixed(1);
}

/** A free TCP port on loopback. */
export async function freePort() {
	const net = await import('node:net');
	return new Promise((resolve) => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Waits until `fn` returns truthy, polling every `everyMs`, or throws after `timeoutMs`. */
export async function until(fn, { timeoutMs = 60_000, everyMs = 20 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const value = await fn();
			if (value) return value;
		} catch {
			/* not yet */
		}
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, everyMs));
	}
}

/** Starts the built process (what `npm start` runs once built) as a child; resolves when /readyz answers 200. */
export async function startParleyProcess({ env = {}, dataDir, nodeArgs = [] } = {}) {
	const port = await freePort();
	const started = performance.now();
	const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'server/serve.js')], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-')), ...env },
		stdio: ['ignore', 'inherit', 'inherit']
	});
	const url = `http://127.0.0.1:${port}`;
	await until(async () => (await fetch(`${url}/readyz`)).status === 200);
	return {
		url,
		port,
		pid: child.pid,
		startMs: Math.round(performance.now() - started),
		async stop() {
			// Idempotent: a second call finds the process gone.
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}

/** Creates a database on the benchmark PostgreSQL; returns its URL and a drop function. */
export async function createBenchDatabase() {
	const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
	const name = `parley_bench_${process.pid}_${Date.now()}`;
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	await client.query(`create database ${name}`);
	await client.end();
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const c = new pg.Client({ connectionString: admin });
			await c.connect();
			await c.query(`drop database if exists ${name} with (force)`);
			await c.end();
		}
	};
}

/** Writes a result file under bench/results/ and returns its path. */
export function writeResult(name, data) {
	const dir = path.join(ROOT, 'bench', 'results');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${name}.json`);
	fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, ...data }, null, 2) + '\n');
	return file;
}
