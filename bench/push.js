// Web push under load (issue 19): one message to a 1 000-member group whose members all have a
// push subscription, while 20 other conversations carry steady traffic.
//  - "time until every push has left": from the big group's message until a push service on
//    loopback (in this process) has received all 999 pushes;
//  - fan-out latency of the other conversations meanwhile (writer → reader, commit included):
//    p50/p99 with no push at all, with the 999 pushes leaving, and with a dead push service that
//    never answers (999 pushes hanging). In both push runs the big message goes first and the
//    traffic starts once its pushes are leaving (or hanging). The three are interleaved over BENCH_ROUNDS rounds, each on
//    a fresh Parley process over the same seeded database, with the machine's load recorded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import crypto from 'node:crypto';
import { connect } from './clients.js';
import { embeddedDatabaseUrl, interleaved, machineLoad, rounds, startParleyProcess, summary, cell, treeStats, until } from './lib.js';
import { openSeedDb, randomId, seedGroup, seedUsers } from './seed.js';

const GROUP_MEMBERS = 1000;
const PAIRS = 20;
const RATE = 50; // messages per second over the other conversations
const DURATION_MS = 4000;
/** DEFAULT_LIMITS.pushConcurrency: a dead service holds this many requests. */
const PUSH_CONCURRENCY = 16;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** A push service on loopback that counts what it receives; `hang` leaves every request unanswered. */
async function startReceiver() {
	const state = { received: 0, mode: 'accept', hanging: new Set(), firstAt: 0, lastAt: 0 };
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			state.received++;
			state.lastAt = performance.now();
			if (state.mode === 'hang') return void state.hanging.add(res);
			res.writeHead(201).end();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		state,
		host: `127.0.0.1:${server.address().port}`,
		reset(mode) {
			for (const res of state.hanging) res.destroy();
			state.hanging.clear();
			state.received = 0;
			state.mode = mode;
		},
		close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))
	};
}

async function seed(location, receiver) {
	const db = await openSeedDb(location);
	const members = await seedUsers(db, GROUP_MEMBERS, 'push');
	const group = await seedGroup(db, 'Everyone', members);
	const pairUsers = await seedUsers(db, PAIRS * 2, 'pair');
	const pairs = [];
	for (let i = 0; i < PAIRS; i++) {
		const [writer, reader] = [pairUsers[2 * i], pairUsers[2 * i + 1]];
		pairs.push({ writer, reader, ...(await seedGroup(db, `Pair ${i}`, [writer, reader])) });
	}
	// One subscription per member (one key pair for all: each push is encrypted anew anyway).
	const ecdh = crypto.createECDH('prime256v1');
	ecdh.generateKeys();
	const p256dh = ecdh.getPublicKey().toString('base64url');
	const auth = crypto.randomBytes(16).toString('base64url');
	await db.query(
		`insert into push_subscriptions (id, user_id, session_id, endpoint, p256dh, auth)
		select v.id, v.u, s.id, v.e, $4, $5 from unnest($1::text[], $2::text[], $3::text[]) as v(id, u, e)
		join lateral (select id from sessions where user_id = v.u limit 1) s on true`,
		[members.map(() => randomId()), members.map((m) => m.id), members.map((m, i) => `http://${receiver.host}/push/${i}`), p256dh, auth]
	);
	await db.close();
	return { members, group, pairs };
}

/** One run: steady traffic between the pairs; `big` sends one message to the large group at 0.5 s. */
async function run({ env, dataDir, receiver, world, big, mode }) {
	receiver.reset(mode);
	const server = await startParleyProcess({ env, dataDir });
	try {
		const writers = await Promise.all(world.pairs.map((p) => connect({ url: server.url, docName: p.docName, cookie: p.writer.cookie })));
		const readers = await Promise.all(world.pairs.map((p) => connect({ url: server.url, docName: p.docName, cookie: p.reader.cookie })));
		const bigWriter = big ? await connect({ url: server.url, docName: world.group.docName, cookie: world.members[0].cookie }) : null;
		const sent = new Map();
		const latencies = [];
		readers.forEach((r) =>
			r.doc.getArray('messages').observe((event) => {
				const now = performance.now();
				for (const item of event.changes.added)
					for (const m of item.content.getContent()) {
						const at = sent.get(m.id);
						if (at !== undefined) {
							latencies.push(now - at);
							sent.delete(m.id);
						}
					}
			})
		);
		const before = treeStats(server.pid);
		let bigAt = null;
		if (bigWriter) {
			// The big message first; the traffic starts once its pushes are leaving (or hanging), so
			// that the whole measured window overlaps them.
			bigAt = performance.now();
			bigWriter.doc
				.getArray('messages')
				.push([{ id: `big${randomId(8)}`, author: world.members[0].id, createdAt: Date.now(), text: 'Hello everyone' }]);
			await until(() => receiver.state.received >= (mode === 'hang' ? PUSH_CONCURRENCY : 1), { timeoutMs: 60_000, everyMs: 5 });
		}
		const started = performance.now();
		const total = Math.round((DURATION_MS / 1000) * RATE);
		for (let i = 0; i < total; i++) {
			const wait = started + (i * 1000) / RATE - performance.now();
			if (wait > 0) await sleep(wait);
			const p = i % PAIRS;
			const id = `t${i}${randomId(6)}`;
			sent.set(id, performance.now());
			writers[p].doc.getArray('messages').push([{ id, author: world.pairs[p].writer.id, createdAt: Date.now(), text: `message ${i}` }]);
		}
		await until(() => latencies.length === total, { timeoutMs: 60_000 });
		const pushesAtEnd = receiver.state.received;
		let allPushesMs = null;
		if (big && mode === 'accept') {
			await until(() => receiver.state.received >= GROUP_MEMBERS - 1, { timeoutMs: 120_000 });
			allPushesMs = Math.round(receiver.state.lastAt - bigAt);
		}
		const after = treeStats(server.pid);
		for (const c of [...writers, ...readers, bigWriter]) c?.destroy();
		latencies.sort((a, b) => a - b);
		return {
			messages: total,
			pushesWhenTrafficEnded: pushesAtEnd,
			p50: +percentile(latencies, 50).toFixed(2),
			p99: +percentile(latencies, 99).toFixed(2),
			max: +latencies.at(-1).toFixed(2),
			pushesReceived: receiver.state.received,
			allPushesMs,
			cpuMs: after.cpuMs - before.cpuMs,
			waitMs: after.waitMs - before.waitMs
		};
	} finally {
		await server.stop();
	}
}

/** Runs the comparison; rows for the table, every run in `results`. */
export async function benchPush() {
	// 40+ stock providers each add a process 'exit' listener: not a leak.
	process.setMaxListeners(200);
	const receiver = await startReceiver();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-push-'));
	fs.chmodSync(dataDir, 0o755);
	const env = { PUSH_ALLOWED_HOSTS: receiver.host };
	const loadAtStart = machineLoad();
	try {
		// The first start migrates and starts the embedded database; the seed goes in through it.
		const first = await startParleyProcess({ env, dataDir });
		const world = await seed({ databaseUrl: embeddedDatabaseUrl(dataDir) }, receiver);
		await first.stop();
		const results = await interleaved(
			{
				'no push': () => run({ env, dataDir, receiver, world, big: false, mode: 'accept' }),
				'999 pushes leaving': () => run({ env, dataDir, receiver, world, big: true, mode: 'accept' }),
				'dead push service': () => run({ env, dataDir, receiver, world, big: true, mode: 'hang' })
			},
			rounds(3)
		);
		// CPU of Parley's process tree (PostgreSQL included) per push: the push runs' CPU over the plain runs'.
		const meanCpu = (runs) => runs.reduce((sum, r) => sum + r.cpuMs, 0) / runs.length;
		const cpuPerPushMs = +((meanCpu(results['999 pushes leaving']) - meanCpu(results['no push'])) / (GROUP_MEMBERS - 1)).toFixed(2);
		const rows = Object.entries(results).map(([subject, runs]) => ({
			subject,
			'fan-out p50 ms': cell(summary(runs.map((r) => r.p50))),
			'fan-out p99 ms': cell(summary(runs.map((r) => r.p99))),
			'all 999 pushes left after ms': subject === '999 pushes leaving' ? cell(summary(runs.map((r) => r.allPushesMs))) : '—',
			'CPU per push ms': subject === '999 pushes leaving' ? cpuPerPushMs : '—',
			busyRuns: runs.filter((r) => r.busy).length
		}));
		return {
			rows,
			results,
			load: {
				groupMembers: GROUP_MEMBERS,
				otherConversations: PAIRS,
				ratePerSecond: RATE,
				durationMs: DURATION_MS,
				loadAtStart,
				loadAtEnd: machineLoad()
			}
		};
	} finally {
		await receiver.close();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}
