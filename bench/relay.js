// The relay under the load, against the reference y-websocket server in the same run.
// 5 conversations × 10 members (stock y-websocket clients in this process):
//  1. offered load 200 messages/s for 4 s → fan-out latency p50/p99 (send → each other member);
//  2. every client writes 40 messages at once → deliveries/s;
//  3. server resident memory idle (connected, before load) and loaded (after), summed over its
//     process tree (Parley and the PostgreSQL it started, if any).
// Reference, Parley on its embedded PostgreSQL and Parley on the external PostgreSQL run
// interleaved over BENCH_ROUNDS rounds (default 3); the table shows medians (min–max), and each
// run records the CPU time and run-queue wait of the server's processes (bench/lib.js).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, createGroup, register } from './clients.js';
import { ROOT, cell, createBenchDatabase, freePort, interleaved, rounds, startParleyProcess, summary, treeStats, until } from './lib.js';

const CONVERSATIONS = 5;
const MEMBERS = 10;
const RATE = 200; // messages per second offered in phase 1
const SECONDS = 4;
const BURST = 40; // messages per client in phase 2

function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Starts the reference server: y-websocket 2.1's bin/server.cjs (memory only, no checks). */
async function startReference() {
	const port = await freePort();
	const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/y-websocket-reference/bin/server.cjs')], {
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const url = `http://127.0.0.1:${port}`;
	await until(async () => (await fetch(url)).status === 200);
	return {
		url,
		pid: child.pid,
		stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')))
	};
}

/** Runs the load against connected groups; returns the figures. */
async function runLoad(groups, pid) {
	const sent = new Map(); // message id → send time
	const latencies = [];
	const slow = []; // [ms after the phase began, latency] of deliveries over 25 ms (where outliers sit)
	let phaseStart = performance.now();
	let deliveries = 0;
	for (const group of groups)
		for (const member of group) {
			member.doc.getArray('messages').observe((event) => {
				if (event.transaction.local) return;
				const now = performance.now();
				for (const delta of event.changes.delta)
					for (const value of delta.insert ?? []) {
						const at = sent.get(value.id);
						if (at !== undefined) {
							latencies.push(now - at);
							if (now - at > 25) slow.push([Math.round(at - phaseStart), Math.round(now - at)]);
						}
						deliveries++;
					}
			});
		}
	const expectDeliveries = (count) => until(() => deliveries >= count, { timeoutMs: 120_000, everyMs: 2 });
	const before = treeStats(pid);
	const idle = before.rssMiB;
	const send = (member, authorId, i, tag) => {
		const id = `${tag}-${i}-${Math.random().toString(36).slice(2, 8)}`;
		sent.set(id, performance.now());
		member.doc.getArray('messages').push([{ id, author: authorId, createdAt: Date.now(), text: `message ${i}` }]);
	};

	// Phase 1: a steady offered load, round-robin over every client.
	const flat = groups.flatMap((group) => group.map((member) => member));
	const total = RATE * SECONDS;
	const started = performance.now();
	phaseStart = started;
	for (let i = 0; i < total; i++) {
		const due = started + (i * 1000) / RATE;
		const wait = due - performance.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		const member = flat[i % flat.length];
		send(member, member.userId, i, 'steady');
	}
	await expectDeliveries(total * (MEMBERS - 1));
	const sorted = [...latencies].sort((a, b) => a - b);
	const steady = {
		p50: +percentile(sorted, 50).toFixed(2),
		p99: +percentile(sorted, 99).toFixed(2),
		max: +sorted.at(-1).toFixed(2),
		slowDeliveries: slow.length,
		slowSendTimes: [...new Set(slow.map(([at]) => at))].slice(0, 20)
	};

	// Phase 2: every client writes BURST messages at once.
	const beforeBurst = deliveries;
	latencies.length = 0;
	const burstStart = performance.now();
	for (const member of flat) for (let i = 0; i < BURST; i++) send(member, member.userId, i, 'burst');
	await expectDeliveries(beforeBurst + flat.length * BURST * (MEMBERS - 1));
	const burstMs = performance.now() - burstStart;
	const burstDeliveries = deliveries - beforeBurst;
	const burstSorted = [...latencies].sort((a, b) => a - b);
	return {
		steady,
		burst: {
			deliveries: burstDeliveries,
			ms: Math.round(burstMs),
			perSecond: Math.round((burstDeliveries / burstMs) * 1000),
			p50: +percentile(burstSorted, 50).toFixed(1),
			p99: +percentile(burstSorted, 99).toFixed(1)
		},
		...cpuDuring(before, treeStats(pid)),
		rss: { idle, loaded: treeStats(pid).rssMiB, idlePss: before.pssMiB, loadedPss: treeStats(pid).pssMiB }
	};
}

/** CPU time and run-queue wait of the server's processes between two readings (the load phases). */
function cpuDuring(before, after) {
	return { cpuMs: Math.round(after.cpuMs - before.cpuMs), waitMs: Math.round(after.waitMs - before.waitMs), processes: after.processes };
}

/** Runs the load against the reference server. */
export async function benchReference() {
	const server = await startReference();
	const groups = [];
	for (let c = 0; c < CONVERSATIONS; c++) {
		const docName = `ref-conv-${c}`;
		groups.push(
			await Promise.all(
				Array.from({ length: MEMBERS }, async (_, m) => ({ ...(await connect({ url: server.url, docName })), userId: `u${m}` }))
			)
		);
	}
	try {
		return await runLoad(groups, server.pid);
	} finally {
		for (const group of groups) for (const member of group) member.destroy();
		await server.stop();
	}
}

/** Runs the load against a built Parley on `database` ('embedded' or 'postgres'). */
export async function benchParley(database) {
	const pgDatabase = database === 'postgres' ? await createBenchDatabase() : null;
	const env = pgDatabase ? { DATABASE_URL: pgDatabase.url } : {};
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-relay-'));
	fs.chmodSync(dataDir, 0o755); // as root, the embedded server's user must enter it
	// BENCH_PROFILE=<dir> writes a CPU profile of the server there.
	const nodeArgs = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
	const server = await startParleyProcess({ env, dataDir, nodeArgs });
	const users = [];
	for (let m = 0; m < MEMBERS; m++) users.push(await register(server.url, `bench_${m}_${process.pid % 10000}`));
	const groups = [];
	for (let c = 0; c < CONVERSATIONS; c++) {
		const docName = await createGroup(
			server.url,
			users[0],
			`Bench ${c}`,
			users.slice(1).map((u) => u.id)
		);
		groups.push(
			await Promise.all(
				users.map(async (user) => ({ ...(await connect({ url: server.url, docName, cookie: user.cookie })), userId: user.id }))
			)
		);
	}
	try {
		return await runLoad(groups, server.pid);
	} finally {
		for (const group of groups) for (const member of group) member.destroy();
		await server.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
		await pgDatabase?.drop();
	}
}

/** Runs reference and Parley (embedded, external PostgreSQL) interleaved; returns medians and ratios. */
export async function benchRelay() {
	const results = await interleaved(
		{ reference: benchReference, 'parley-embedded': () => benchParley('embedded'), 'parley-postgres': () => benchParley('postgres') },
		rounds(3)
	);
	const median = (runs, pick) => summary(runs.map(pick));
	const rows = Object.entries(results).map(([server, runs]) => ({
		server,
		'steady p50 ms': cell(median(runs, (r) => r.steady.p50)),
		'steady p99 ms': cell(median(runs, (r) => r.steady.p99)),
		'burst deliveries/s': cell(median(runs, (r) => r.burst.perSecond)),
		'burst p99 ms': cell(median(runs, (r) => r.burst.p99)),
		'rss idle MiB (tree)': cell(median(runs, (r) => r.rss.idle)),
		'rss loaded MiB (tree)': cell(median(runs, (r) => r.rss.loaded)),
		'pss loaded MiB (tree)': cell(median(runs, (r) => r.rss.loadedPss)),
		'cpu ms / waited ms': `${median(runs, (r) => r.cpuMs).median} / ${median(runs, (r) => r.waitMs).median}`,
		'busy runs': `${runs.filter((r) => r.busy).length}/${runs.length}`
	}));
	const reference = {
		perSecond: median(results.reference, (r) => r.burst.perSecond).median,
		p99: median(results.reference, (r) => r.steady.p99).median
	};
	const ratios = {};
	const busy = Object.values(results)
		.flat()
		.some((r) => r.busy);
	for (const name of ['parley-embedded', 'parley-postgres']) {
		const perSecond = median(results[name], (r) => r.burst.perSecond).median;
		const p99 = median(results[name], (r) => r.steady.p99).median;
		const verdict = (met) => (busy ? `${met ? 'met' : 'not met'} on a BUSY machine (not a verdict on Parley)` : met ? 'met' : 'MISSED');
		ratios[name] = {
			throughputVsReference: +(perSecond / reference.perSecond).toFixed(2),
			steadyP99VsReference: +(p99 / reference.p99).toFixed(2),
			targetThroughput: `${verdict(perSecond >= 0.8 * reference.perSecond)} (≥ 0.8× reference)`,
			targetP99: `${verdict(p99 <= Math.max(2 * reference.p99, 25))} (≤ max(2× reference, 25 ms))`
		};
	}
	return {
		rows,
		ratios,
		machine: busy ? 'BUSY: some runs waited for a CPU or started under load; figures are the machine’s, not Parley’s' : 'quiet',
		results,
		load: { conversations: CONVERSATIONS, members: MEMBERS, rate: RATE, seconds: SECONDS, burstPerClient: BURST }
	};
}
