// The inbox under load.
//  1. Latency: one user connected only to their inbox, in 100 conversations; another member writes
//     into them at a steady rate → time until the entry shows the new message (p50/p99).
//  2. Write amplification: groups of 10, 100 and 1000 members, every member's inbox open; messages
//     into the group → inbox updates each message causes (received by the members' inbox clients).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from './clients.js';
import { createBenchDatabase, embeddedDatabaseUrl, startParleyProcess, until } from './lib.js';
import { openSeedDb, seedGroup, seedUsers } from './seed.js';

const CONVERSATIONS = 100;
const LATENCY_MESSAGES = 300;
const LATENCY_RATE = 100; // per second
const GROUP_SIZES = [10, 100, 1000];
const AMPLIFICATION_MESSAGES = 20;
const AMPLIFICATION_RATE = 10; // per second: a busy group

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withServer(database, run) {
	const pgDb = database === 'postgres' ? await createBenchDatabase() : null;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-inbox-'));
	fs.chmodSync(dataDir, 0o755); // as root, the embedded server's user must enter it
	const env = pgDb ? { DATABASE_URL: pgDb.url } : {};
	// The first start migrates (and starts the embedded server); the seed goes in through its own
	// connection, and run()'s start() restarts Parley so that it reads the seed as a fresh process.
	const first = await startParleyProcess({ env, dataDir });
	const location = { databaseUrl: pgDb?.url ?? embeddedDatabaseUrl(dataDir) };
	const started = [first];
	try {
		return await run({
			location,
			start: async () => {
				await first.stop();
				return started[started.push(await startParleyProcess({ env, dataDir })) - 1];
			}
		});
	} finally {
		// A failed run must not leave its server writing into a removed directory.
		for (const server of started) await server.stop().catch(() => {});
		fs.rmSync(dataDir, { recursive: true, force: true });
		await pgDb?.drop();
	}
}

async function latency(database) {
	return withServer(database, async ({ location, start }) => {
		const seed = await openSeedDb(location);
		// One writer per conversation: a user may hold only relayMaxConnectionsPerUser sockets.
		const [reader, ...writersOf] = await seedUsers(seed, CONVERSATIONS + 1, 'lat');
		const groups = [];
		for (let i = 0; i < CONVERSATIONS; i++) groups.push(await seedGroup(seed, `Chat ${i}`, [writersOf[i], reader]));
		await seed.close();
		const server = await start();
		const inbox = await connect({ url: server.url, docName: `inbox.${reader.id}`, cookie: reader.cookie });
		const writers = await Promise.all(groups.map((g, i) => connect({ url: server.url, docName: g.docName, cookie: writersOf[i].cookie })));
		await until(() => inbox.doc.getMap('conversations').size === CONVERSATIONS, { timeoutMs: 30_000 });
		const sent = new Map();
		const seen = [];
		inbox.doc.getMap('conversations').observe((event) => {
			const now = performance.now();
			for (const key of event.keysChanged) {
				const id = inbox.doc.getMap('conversations').get(key)?.lastMessage?.id;
				const at = sent.get(id);
				if (at !== undefined) {
					seen.push(now - at);
					sent.delete(id);
				}
			}
		});
		const started = performance.now();
		for (let i = 0; i < LATENCY_MESSAGES; i++) {
			const wait = started + (i * 1000) / LATENCY_RATE - performance.now();
			if (wait > 0) await sleep(wait);
			const id = `lat${i}`;
			sent.set(id, performance.now());
			const c = i % CONVERSATIONS;
			writers[c].doc.getArray('messages').push([{ id, author: writersOf[c].id, createdAt: Date.now(), text: `message ${i}` }]);
		}
		await until(() => seen.length === LATENCY_MESSAGES, { timeoutMs: 30_000 });
		seen.sort((a, b) => a - b);
		inbox.destroy();
		for (const w of writers) w.destroy();
		await server.stop();
		return { p50: +percentile(seen, 50).toFixed(2), p99: +percentile(seen, 99).toFixed(2), max: +seen.at(-1).toFixed(2) };
	});
}

async function amplification(database, size) {
	return withServer(database, async ({ location, start }) => {
		const seed = await openSeedDb(location);
		const members = await seedUsers(seed, size, `amp${size}`);
		const group = await seedGroup(seed, `Group of ${size}`, members);
		await seed.close();
		const server = await start();
		const inboxes = [];
		for (let i = 0; i < members.length; i += 50)
			inboxes.push(
				...(await Promise.all(
					members.slice(i, i + 50).map((m) => connect({ url: server.url, docName: `inbox.${m.id}`, cookie: m.cookie }))
				))
			);
		let updates = 0;
		for (const inbox of inboxes) inbox.doc.on('update', (_u, origin) => origin !== null && origin !== undefined && updates++);
		const writer = await connect({ url: server.url, docName: group.docName, cookie: members[0].cookie });
		const last = `amp-${AMPLIFICATION_MESSAGES - 1}`;
		const started = performance.now();
		for (let i = 0; i < AMPLIFICATION_MESSAGES; i++) {
			const wait = started + (i * 1000) / AMPLIFICATION_RATE - performance.now();
			if (wait > 0) await sleep(wait);
			writer.doc.getArray('messages').push([{ id: `amp-${i}`, author: members[0].id, createdAt: Date.now(), text: `hello ${i}` }]);
		}
		// Every member's entry ends at the last message (coalescing may skip the ones between).
		await until(() => inboxes.every((inbox) => inbox.doc.getMap('conversations').get(group.id)?.lastMessage?.id === last), {
			timeoutMs: 60_000
		});
		const settleMs = Math.round(performance.now() - started);
		for (const inbox of inboxes) inbox.destroy();
		writer.destroy();
		await server.stop();
		return {
			members: size,
			messages: AMPLIFICATION_MESSAGES,
			inboxUpdates: updates,
			perMessage: +(updates / AMPLIFICATION_MESSAGES).toFixed(1),
			perMessagePerMember: +(updates / AMPLIFICATION_MESSAGES / size).toFixed(3),
			allCurrentAfterMs: settleMs
		};
	});
}

/** Runs both inbox measurements on both databases. */
export async function benchInbox() {
	const rows = [];
	const results = {};
	const attempt = async (name, run) => {
		try {
			const result = await run();
			console.log(name, JSON.stringify(result));
			return result;
		} catch (error) {
			console.log(name, 'FAILED:', error.message);
			return { error: error.message };
		}
	};
	for (const database of ['embedded', 'postgres']) {
		const lat = await attempt(`${database} latency`, () => latency(database));
		results[`${database}-latency`] = lat;
		rows.push({
			database,
			measure: `new message → inbox entry, ${CONVERSATIONS} conversations`,
			p50: lat.p50,
			p99: lat.p99,
			target: lat.p99 <= 50 ? 'met (p99 ≤ 50 ms)' : 'MISSED (p99 > 50 ms)'
		});
		for (const size of GROUP_SIZES) {
			const amp = await attempt(`${database} amplification ${size}`, () => amplification(database, size));
			results[`${database}-amplification-${size}`] = amp;
			rows.push({
				database,
				measure: `inbox updates per message, group of ${size}`,
				perMessage: amp.perMessage,
				perMemberPerMessage: amp.perMessagePerMember,
				allCurrentAfterMs: amp.allCurrentAfterMs
			});
		}
	}
	return {
		rows,
		results,
		load: {
			conversations: CONVERSATIONS,
			latencyMessages: LATENCY_MESSAGES,
			latencyRate: LATENCY_RATE,
			groupSizes: GROUP_SIZES,
			amplificationMessages: AMPLIFICATION_MESSAGES,
			amplificationRate: AMPLIFICATION_RATE
		}
	};
}
