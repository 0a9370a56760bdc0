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
		// Every simulated client shares 127.0.0.1: the per-address connection cap is lifted here.
		env: {
			...process.env,
			PORT: String(port),
			LOG_LEVEL: 'warn',
			CONNECTIONS_PER_ADDRESS: '0',
			DATA_DIR: dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-')),
			...env
		},
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
	fs.writeFileSync(
		file,
		JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, ...data }, null, 2) + '\n'
	);
	return file;
}

// ── Measuring on a shared machine ──────────────────────────────────────────────────────────────
// Other work on the same cores shows up as time our processes spend runnable but waiting for a
// CPU (/proc/<pid>/task/*/schedstat, second field). Every figure is taken with it, the rounds are
// interleaved (reference and Parley alternate, so a burst of other load hits both), and a run
// whose processes waited too long is marked busy instead of being reported as Parley's.

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run on). */
const USER_HZ = 100;
/** A run is "busy" when our processes waited for a CPU more than this share of the CPU time they got. */
export const BUSY_WAIT_RATIO = 0.25;
/** …or when the 1-minute load average, before we started, was above this share of the cores. */
export const BUSY_LOAD_PER_CORE = 0.75;

/** Direct and indirect children of `pid`, and `pid` itself (Linux /proc). */
export function processTree(pid) {
	const parentOf = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			/* gone meanwhile */
		}
	}
	const tree = [pid];
	for (let i = 0; i < tree.length; i++) for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
	return tree;
}

/** Memory of one process: resident (RSS) and proportional (PSS: shared pages divided among sharers), MiB. */
function memoryOf(pid) {
	const rss = rssMiB(pid);
	let pss = rss;
	try {
		pss = +(Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) / 1024).toFixed(1);
	} catch {
		/* no smaps_rollup: PSS unknown, report RSS */
	}
	return { rss, pss };
}

/** CPU time used and run-queue wait of one process (all its threads), ms; exited children's CPU included. */
function cpuOf(pid) {
	let cpuNs = 0;
	let waitNs = 0;
	for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
		try {
			const [run, wait] = fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ').map(Number);
			cpuNs += run;
			waitNs += wait;
		} catch {
			/* thread ended */
		}
	}
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// Fields 16 and 17 (cutime, cstime): CPU of children already reaped (initdb, ended backends).
	const childrenMs = ((Number(fields[13]) + Number(fields[14])) * 1000) / USER_HZ;
	return { cpuMs: Math.round(cpuNs / 1e6 + childrenMs), waitMs: Math.round(waitNs / 1e6) };
}

/** Memory and CPU of `pid` and its children: per process and summed. */
export function treeStats(pid) {
	const processes = [];
	for (const p of processTree(pid)) {
		try {
			const name = fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim();
			processes.push({ pid: p, name, ...memoryOf(p), ...cpuOf(p) });
		} catch {
			/* ended meanwhile */
		}
	}
	const sum = (key) => +processes.reduce((total, p) => total + p[key], 0).toFixed(1);
	return {
		processes: processes.length,
		rssMiB: sum('rss'),
		pssMiB: sum('pss'),
		cpuMs: sum('cpuMs'),
		waitMs: sum('waitMs'),
		each: processes
	};
}

/** The machine's load now: load averages and cores. */
export function machineLoad() {
	const [one, five] = os.loadavg();
	return { load1: +one.toFixed(2), load5: +five.toFixed(2), cores: os.cpus().length };
}

/** Whether a measurement was taken on a busy machine, and why. */
export function busyVerdict({ loadBefore, cpuMs, waitMs }) {
	const reasons = [];
	if (loadBefore.load1 > BUSY_LOAD_PER_CORE * loadBefore.cores)
		reasons.push(`load ${loadBefore.load1} on ${loadBefore.cores} cores before the run`);
	if (cpuMs > 0 && waitMs / cpuMs > BUSY_WAIT_RATIO) reasons.push(`waited ${waitMs} ms for a CPU while running ${cpuMs} ms`);
	return { busy: reasons.length > 0, reasons };
}

/** Median and spread (min, max) of numbers. */
export function summary(values) {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	if (!sorted.length) return { median: NaN, min: NaN, max: NaN, n: 0 };
	const mid = sorted.length >> 1;
	const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	return { median: +median.toFixed(2), min: +sorted[0].toFixed(2), max: +sorted.at(-1).toFixed(2), n: sorted.length };
}

/** "median (min–max)" for a table cell. */
export function cell(s) {
	return s.n ? `${s.median} (${s.min}–${s.max})` : 'n/a';
}

/** Rounds from BENCH_ROUNDS (default `fallback`): each round runs every subject once, in rotated order. */
export function rounds(fallback = 3) {
	const n = Number(process.env.BENCH_ROUNDS ?? fallback);
	return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Runs `subjects` (name → async fn returning a result) interleaved over `n` rounds; results per name. */
export async function interleaved(subjects, n) {
	const names = Object.keys(subjects);
	const results = Object.fromEntries(names.map((name) => [name, []]));
	for (let round = 0; round < n; round++) {
		// Rotate the order so that no subject always runs first (cold caches) or last.
		const order = names.map((_, i) => names[(i + round) % names.length]);
		for (const name of order) {
			const loadBefore = machineLoad();
			const result = await subjects[name]();
			const verdict = busyVerdict({ loadBefore, cpuMs: result.cpuMs ?? 0, waitMs: result.waitMs ?? 0 });
			results[name].push({ round: round + 1, loadBefore, ...verdict, ...result });
			console.log(`round ${round + 1} ${name}${verdict.busy ? ' [BUSY: ' + verdict.reasons.join('; ') + ']' : ''}`);
		}
	}
	return results;
}

/** The embedded server's URL of a running Parley's DATA_DIR (its port is in PostgreSQL's lock file). */
export function embeddedDatabaseUrl(dataDir) {
	const secret = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
	const port = fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3];
	return `postgres://postgres:${encodeURIComponent(secret)}@127.0.0.1:${port}/postgres`;
}
