// The relay under abuse by one ordinary signed-in member (issue 8), in one run per database:
//   none             honest traffic only (the baseline);
//   message flood    one member sends valid one-line messages, one update per frame, as fast as
//                    the socket takes them, for 30 s (reconnecting when closed, as a script would);
//   awareness flood  one member sends valid 4 KB awareness states back to back to a conversation
//                    with 10 listeners;
//   delete-set bomb  a hook: ATTACKS['delete-set bomb'] is null until the checker's bounded
//                    delete-set work lands with a frame generator in bench/flood.js.
// Throughout each case a stock client sends an honest message every 100 ms in another
// conversation; its delivery to the other member gives p50/p99. Server RSS is sampled every
// 250 ms (max and at the end). The machine's load average is recorded with the figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, createGroup, register } from './clients.js';
import { Worker } from 'node:worker_threads';
import { awarenessEntriesFor, openRaw } from './flood.js';
import { createBenchDatabase, rssMiB, startParleyProcess, until } from './lib.js';

const BASELINE_MS = 10_000;
const MESSAGE_FLOOD_MS = 30_000;
const AWARENESS_FLOOD_MS = 10_000;
const HONEST_EVERY_MS = 100;
const LISTENERS = 10;
/** The awareness client id the flooder speaks as. */
const FLOODER_AWARENESS_ID = 77_000_000 + (process.pid % 1000);

function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs a flooding script in a worker thread until `stop()`; resolves to its counters. */
async function floodScript({ url, docName, cookie, kind, userId, clientId, stop }) {
	const worker = new Worker(new URL('./flood-worker.js', import.meta.url), {
		workerData: { url, docName, cookie, kind, userId, clientId }
	});
	const done = new Promise((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	await until(() => stop(), { timeoutMs: 10 * 60_000, everyMs: 20 });
	worker.postMessage('stop');
	const result = await done;
	await worker.terminate();
	return result;
}

/** The attacks; each runs until `stop()` and returns what it saw. */
const ATTACKS = {
	none: null,
	'message flood': {
		ms: MESSAGE_FLOOD_MS,
		run: ({ url, mallory, flooded }, stop) =>
			floodScript({ url, docName: flooded, cookie: mallory.cookie, kind: 'messages', userId: mallory.id, stop })
	},
	'awareness flood': {
		ms: AWARENESS_FLOOD_MS,
		run: async ({ url, mallory, noisy, listeners }, stop) => {
			const clientId = FLOODER_AWARENESS_ID;
			for (const listener of listeners) listener.states = 0;
			const started = performance.now();
			const script = await floodScript({
				url,
				docName: noisy,
				cookie: mallory.cookie,
				kind: 'awareness',
				userId: mallory.id,
				clientId,
				stop
			});
			const seconds = (performance.now() - started) / 1000;
			const perListener = listeners.map((l) => l.states);
			return { ...script, statesPerListenerPerSecond: +(Math.max(...perListener) / seconds).toFixed(1), clientId };
		}
	},
	// Hook for the checker's work (issue 8 item 1): a { ms, run } whose run sends bomb frames.
	'delete-set bomb': null
};

/** Runs the cases against a built Parley on `database`; returns one row per case. */
async function benchDatabase(database) {
	const pgDatabase = database === 'postgres' ? await createBenchDatabase() : null;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-abuse-'));
	const env = { LOG_LEVEL: 'error', ...(pgDatabase ? { DATABASE_URL: pgDatabase.url } : {}) };
	const server = await startParleyProcess({ env, dataDir });
	const tag = `${process.pid % 10000}`;
	const users = {};
	for (const name of ['mallory', 'alice', 'bob', 'lena']) users[name] = await register(server.url, `abuse_${name}_${tag}`);
	const flooded = await createGroup(server.url, users.mallory, 'Flooded', [users.alice.id]);
	const noisy = await createGroup(server.url, users.mallory, 'Noisy', [users.lena.id]);
	const quiet = await createGroup(server.url, users.alice, 'Quiet', [users.bob.id]);
	// What of the flood the relay accepted: read after the phase by a fresh client (a client
	// following the flood live would load this process while it measures).
	const floodAccepted = async () => {
		const reader = await connect({ url: server.url, docName: flooded, cookie: users.alice.cookie, timeoutMs: 300_000 });
		const count = reader.doc
			.getArray('messages')
			.toArray()
			.filter((m) => m.author === users.mallory.id).length;
		reader.destroy();
		return count;
	};
	const sender = await connect({ url: server.url, docName: quiet, cookie: users.alice.cookie });
	const receiver = await connect({ url: server.url, docName: quiet, cookie: users.bob.cookie });
	const listeners = [];
	for (let i = 0; i < LISTENERS; i++) {
		const ws = await openRaw(server.url, noisy, users.lena.cookie);
		const listener = { ws, states: 0 };
		ws.on('message', (data) => {
			// Awareness frames: [1, varUint8Array payload]; the payload length is a varUint.
			const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
			if (bytes[0] !== 1) return;
			let offset = 1;
			while (bytes[offset++] >= 0x80);
			listener.states += awarenessEntriesFor(bytes.subarray(offset), FLOODER_AWARENESS_ID);
		});
		listeners.push(listener);
	}
	const sent = new Map();
	const latencies = [];
	receiver.doc.getArray('messages').observe((event) => {
		const now = performance.now();
		for (const delta of event.changes.delta)
			for (const value of delta.insert ?? []) {
				const at = sent.get(value.id);
				if (at !== undefined) latencies.push(now - at);
			}
	});
	const rows = [];
	try {
		for (const [name, attack] of Object.entries(ATTACKS)) {
			if (name !== 'none' && !attack) {
				rows.push({ database, case: name, note: 'not implemented here (hook)' });
				continue;
			}
			const ms = attack?.ms ?? BASELINE_MS;
			latencies.length = 0;
			let stop = false;
			const rss = [];
			const sampler = setInterval(() => rss.push(rssMiB(server.pid)), 250);
			const rssBefore = rssMiB(server.pid);
			const attacking = attack
				? attack.run({ url: server.url, mallory: users.mallory, flooded, noisy, listeners }, () => stop)
				: Promise.resolve(null);
			const started = performance.now();
			let i = 0;
			let expected = 0;
			while (performance.now() - started < ms) {
				const id = `honest-${name.replace(/\W/g, '')}-${i++}`;
				sent.set(id, performance.now());
				sender.doc.getArray('messages').push([{ id, author: users.alice.id, createdAt: Date.now(), text: `honest ${i}` }]);
				expected++;
				await new Promise((r) => setTimeout(r, HONEST_EVERY_MS));
			}
			stop = true;
			const attackResult = await attacking;
			// Honest messages still in flight are waited for (their latency counts).
			const need = expected;
			await until(() => latencies.length >= need, { timeoutMs: 120_000, everyMs: 10 }).catch(() => {});
			clearInterval(sampler);
			const rssEnd = rssMiB(server.pid);
			if (name === 'message flood') attackResult.accepted = await floodAccepted();
			const sorted = [...latencies].sort((a, b) => a - b);
			rows.push({
				database,
				case: name,
				'honest sent': expected,
				'honest delivered': latencies.length,
				'p50 ms': +percentile(sorted, 50).toFixed(1),
				'p99 ms': +percentile(sorted, 99).toFixed(1),
				'max ms': +(sorted.at(-1) ?? NaN).toFixed(1),
				'rss before MiB': rssBefore,
				'rss max MiB': Math.max(rssBefore, ...rss),
				'rss end MiB': rssEnd,
				attack: attackResult
			});
		}
	} finally {
		for (const l of listeners) l.ws.terminate();
		sender.destroy();
		receiver.destroy();
		await server.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
		await pgDatabase?.drop();
	}
	return rows;
}

/**
 * `npm run bench -- abuse`: both databases (BENCH_ABUSE_DATABASES=embedded to run one);
 * `SYNC_RATE_LIMITS=off npm run bench -- abuse` measures the relay without its buckets.
 */
export async function benchAbuse() {
	const loadBefore = os.loadavg();
	const databases = (process.env.BENCH_ABUSE_DATABASES ?? 'embedded,postgres').split(',');
	const details = [];
	for (const database of databases) details.push(...(await benchDatabase(database)));
	const rows = details.map(({ attack, ...row }) => ({
		...row,
		...(attack ? { 'attack sent': attack.sent, 'attack conns': attack.connections, 'attack refused': attack.refused } : {}),
		...(attack?.accepted !== undefined ? { 'flood accepted': attack.accepted } : {}),
		...(attack?.statesPerListenerPerSecond !== undefined ? { 'states/s per listener': attack.statesPerListenerPerSecond } : {})
	}));
	return {
		rows,
		details,
		// SYNC_RATE_LIMITS reaches the server through the environment (off: buckets lifted).
		syncRateLimits: process.env.SYNC_RATE_LIMITS ?? 'on',
		loadAverage: { before: loadBefore.map((l) => +l.toFixed(2)), after: os.loadavg().map((l) => +l.toFixed(2)) },
		load: {
			baselineMs: BASELINE_MS,
			messageFloodMs: MESSAGE_FLOOD_MS,
			awarenessFloodMs: AWARENESS_FLOOD_MS,
			honestEveryMs: HONEST_EVERY_MS,
			listeners: LISTENERS
		}
	};
}
