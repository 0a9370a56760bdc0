// Message search at scale (issue 20): 1 000 000 messages over 200 people and 2 000 conversations,
// in Russian and English, on both databases (the embedded PostgreSQL and BENCH_DATABASE_URL's,
// default the local server's `test`). Measures `GET /api/search` end to end (HTTP, session, rate
// limit, query, marks) for typical queries, as people who belong to a typical number of
// conversations: one word, two words, a prefix being typed, a rare word; p50/p95 against the 50 ms
// target. Interleaved with each sample, the reference: the same search done without the index,
// `text ILIKE '%word%'` over the person's conversations. Each figure comes with the CPU time the
// request took (Parley and its PostgreSQL backends: its cost, whatever else runs) beside its wall
// time (what a person waits on this machine now). Also: index and table sizes, seeding time, how
// many messages each query matches in the whole corpus, and the machine's load.
// BENCH_SEARCH_MESSAGES=n runs a smaller corpus (a quick look).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createBenchDatabase, embeddedDatabaseUrl, machineLoad, processTree, startParleyProcess } from './lib.js';
import { randomId, seedUsers } from './seed.js';
import { RARE_WORDS, generateMessages, planConversations } from './search-data.js';

const USERS = 200;
const CONVERSATIONS = 2000;
const MESSAGES = Number(process.env.BENCH_SEARCH_MESSAGES ?? 1_000_000);
const DAYS = 730;
const SEED = 20;
/** Measured searches per kind (spread over the typical people; each makes a few, under the rate limit). */
const SAMPLES = 60;
/** Rows per INSERT while seeding. */
const BATCH = 5000;
const TARGET_P95_MS = 50;

/**
 * What people type. A trailing space means the word is finished; none, that it is being typed (a
 * prefix). "Typical" words are from the middle of the word lists' frequencies (each in 0.5–2 % of
 * messages); the common ones (each in 5–15 %) are reported apart, without the target.
 */
const QUERIES = {
	'one word': ['неделя ', 'доставку ', 'телефона ', 'ужина ', 'fix ', 'budget ', 'prices ', 'driving '],
	'two words': ['билеты поезд ', 'отчёт квартал ', 'client contract ', 'flight tickets ', 'договор подписали ', 'invoice paid '],
	prefix: ['догов', 'телеф', 'подар', 'invoi', 'vacat', 'birthd'],
	'rare word': RARE_WORDS.map((w) => `${w} `),
	'common word (no target)': ['привет ', 'сообщение ', 'hello ', 'meeting '],
	'common prefix (no target)': ['сооб', 'meet', 'прив', 'thank']
};
/** Kinds the 50 ms target applies to. */
const TARGETED = new Set(['one word', 'two words', 'prefix', 'rare word']);

/** CPU time run and waited (ms) by the threads of `pids` (Linux schedstat); gone processes count 0. */
function schedMs(pids) {
	let run = 0;
	let wait = 0;
	for (const pid of pids) {
		let tasks;
		try {
			tasks = fs.readdirSync(`/proc/${pid}/task`);
		} catch {
			continue; // the process ended
		}
		for (const task of tasks) {
			try {
				const [r, w] = fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ').map(Number);
				run += r / 1e6;
				wait += w / 1e6;
			} catch {
				/* thread ended */
			}
		}
	}
	return { run, wait };
}

const percentile = (values, p) => {
	const sorted = [...values].sort((a, b) => a - b);
	return +sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2);
};
const uptime = () => {
	try {
		return execSync('uptime', { encoding: 'utf8' }).trim();
	} catch {
		return os.loadavg().join(' ');
	}
};

/** Inserts people, conversations and messages; returns the people (with cookies) and their conversation counts. */
export async function seed(client, log) {
	const db = { query: async (t, p) => (await client.query(t, p)).rows };
	const people = await seedUsers(db, USERS, 'srch');
	const { conversations, weights } = planConversations({ userIds: people.map((p) => p.id), count: CONVERSATIONS, seed: SEED });
	const ids = conversations.map(() => randomId());
	await db.query(
		`insert into conversations (id, kind, title, created_by) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
		[ids, conversations.map((c) => c.kind), conversations.map((_, i) => `Chat ${i}`), conversations.map((c) => c.members[0])]
	);
	const member = { c: [], u: [], r: [] };
	conversations.forEach((c, i) =>
		c.members.forEach((u, j) => {
			member.c.push(ids[i]);
			member.u.push(u);
			member.r.push(j === 0 ? 'owner' : 'member');
		})
	);
	await db.query(
		`insert into conversation_members (conversation_id, user_id, role) select * from unnest($1::text[], $2::text[], $3::text[])`,
		[member.c, member.u, member.r]
	);
	// The GIN index is built once after the rows (faster than growing it row by row); the trigger
	// still computes every vector, as the relay's projection would.
	const [{ def }] = await db.query(`select pg_get_indexdef('messages_search'::regclass) as def`);
	await db.query(`drop index messages_search`);
	const started = performance.now();
	let batch = [];
	let written = 0;
	const flush = async () => {
		if (!batch.length) return;
		await db.query(
			`insert into messages (doc_name, id, author_id, kind, text, created_at)
			 select d, i, a, 'text', t, to_timestamp(c / 1000.0) from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[]) as v(d, i, a, t, c)`,
			[batch.map((m) => m.doc), batch.map((m) => m.id), batch.map((m) => m.author), batch.map((m) => m.text), batch.map((m) => m.createdAt)]
		);
		written += batch.length;
		if (written % 100_000 === 0) log(`  ${written} messages`);
		batch = [];
	};
	let n = 0;
	for (const m of generateMessages({ conversations, weights, total: MESSAGES, days: DAYS, seed: SEED })) {
		batch.push({ doc: `conv.${ids[m.conversation]}`, id: `m${++n}`, author: m.author, text: m.text, createdAt: m.createdAt });
		if (batch.length === BATCH) await flush();
	}
	await flush();
	const insertSeconds = +((performance.now() - started) / 1000).toFixed(1);
	const indexStarted = performance.now();
	await db.query(`set maintenance_work_mem = '256MB'`);
	await db.query(def);
	const indexSeconds = +((performance.now() - indexStarted) / 1000).toFixed(1);
	await db.query(`vacuum analyze messages`);
	await db.query(`analyze conversation_members`);
	const counts = new Map(people.map((p) => [p.id, 0]));
	for (const c of conversations) for (const u of c.members) counts.set(u, counts.get(u) + 1);
	return { people, counts, insertSeconds, indexSeconds };
}

async function sizes(client) {
	const [row] = (
		await client.query(`select pg_relation_size('messages_search') as index_bytes, pg_table_size('messages') as table_bytes,
			pg_total_relation_size('messages') as total_bytes, count(*)::int as messages,
			avg(pg_column_size(search))::int as avg_vector_bytes, avg(pg_column_size(text))::int as avg_text_bytes
			from messages`)
	).rows;
	const mib = (b) => +(Number(b) / 1024 / 1024).toFixed(1);
	return {
		messages: row.messages,
		indexMiB: mib(row.index_bytes),
		tableMiB: mib(row.table_bytes),
		totalWithIndexesMiB: mib(row.total_bytes),
		avgVectorBytes: row.avg_vector_bytes,
		avgTextBytes: row.avg_text_bytes
	};
}

/** The reference: the same search without the full-text index, newest 20 matches. */
const REFERENCE = `select m.id from conversation_members cm join messages m on m.doc_name = 'conv.' || cm.conversation_id
	where cm.user_id = $1 and m.deleted_at is null and m.text ilike $2 order by m.position desc limit 20`;

/**
 * The processes that work for a search: Parley's and its PostgreSQL backends (the embedded server
 * is Parley's child; on a shared server, the backends connected to the bench's database, but for
 * the bench's own connection). Their CPU time per request is its cost whatever else the machine
 * runs; the wall time is what a person would wait on this machine now.
 */
async function workers(server, client, database) {
	if (database === 'embedded') return processTree(server.pid);
	const { rows } = await client.query(`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
	return [server.pid, ...rows.map((r) => r.pid)];
}

async function measure({ server, client, database, people, counts, log }) {
	const url = server.url;
	// Typical: the middle half of people by how many conversations they are in.
	const ranked = [...people].sort((a, b) => counts.get(a.id) - counts.get(b.id));
	const typical = ranked.slice(Math.floor(USERS * 0.25), Math.floor(USERS * 0.75));
	const heaviest = ranked.at(-1);
	const memberships = typical.map((p) => counts.get(p.id));
	let pids = [];
	const searchMs = async (person, q) => {
		const before = schedMs(pids);
		const started = performance.now();
		const res = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}`, { headers: { cookie: person.cookie } });
		const body = await res.json();
		const ms = performance.now() - started;
		const after = schedMs(pids);
		if (res.status !== 200) throw new Error(`search ${JSON.stringify(q)} answered ${res.status}: ${JSON.stringify(body)}`);
		return { ms, cpu: after.run - before.run, waited: after.wait - before.wait, found: body.messages.length };
	};
	const [{ pid: ownPid }] = (await client.query('select pg_backend_pid() as pid')).rows;
	const referenceMs = async (person, q) => {
		const before = schedMs([ownPid]);
		const started = performance.now();
		await client.query(REFERENCE, [person.id, `%${q.trim().split(' ')[0]}%`]);
		return { ms: performance.now() - started, cpu: schedMs([ownPid]).run - before.run };
	};
	// Warm-up: every query once (a cold cache is a restart's cost, not a search's).
	for (const [kind, list] of Object.entries(QUERIES))
		for (const q of list) await searchMs(typical[0], q).catch((e) => log(kind, e.message));
	pids = await workers(server, client, database);
	const results = {};
	let turn = 0;
	for (const [kind, list] of Object.entries(QUERIES)) {
		const wall = [];
		const cpu = [];
		const waited = [];
		const reference = [];
		const referenceCpu = [];
		const found = [];
		for (let i = 0; i < SAMPLES; i++) {
			const person = typical[turn++ % typical.length];
			const q = list[i % list.length];
			const hit = await searchMs(person, q);
			wall.push(hit.ms);
			cpu.push(hit.cpu);
			waited.push(hit.waited);
			found.push(hit.found);
			const ref = await referenceMs(person, q);
			reference.push(ref.ms);
			referenceCpu.push(ref.cpu);
		}
		results[kind] = {
			p50: percentile(wall, 0.5),
			p95: percentile(wall, 0.95),
			max: percentile(wall, 1),
			cpuP50: percentile(cpu, 0.5),
			cpuP95: percentile(cpu, 0.95),
			waitedForCpuP50: percentile(waited, 0.5),
			referenceP50: percentile(reference, 0.5),
			referenceP95: percentile(reference, 0.95),
			referenceCpuP50: percentile(referenceCpu, 0.5),
			avgFound: +(found.reduce((a, b) => a + b, 0) / found.length).toFixed(1)
		};
		log(kind, JSON.stringify(results[kind]));
	}
	const heavy = [];
	const heavyCpu = [];
	for (let i = 0; i < 20; i++) {
		const hit = await searchMs(heaviest, QUERIES['one word'][i % QUERIES['one word'].length]);
		heavy.push(hit.ms);
		heavyCpu.push(hit.cpu);
	}
	return {
		results,
		heaviest: {
			conversations: counts.get(heaviest.id),
			oneWordP50: percentile(heavy, 0.5),
			oneWordP95: percentile(heavy, 0.95),
			oneWordCpuP95: percentile(heavyCpu, 0.95)
		},
		typicalConversations: { min: Math.min(...memberships), median: memberships[memberships.length >> 1], max: Math.max(...memberships) }
	};
}

/** How many messages of the whole corpus each query's words match (context for the timings). */
async function corpusMatches(client) {
	const out = {};
	for (const [kind, list] of Object.entries(QUERIES)) {
		const counts = [];
		for (const q of list) {
			const words = q.trim().split(/\s+/);
			const typing = !q.endsWith(' ');
			const whole = (typing ? words.slice(0, -1) : words).map((w) => `'${w}'`).join(' & ');
			const last = typing ? `'${words.at(-1)}'` : null;
			const { rows } = await client.query(
				`select count(*)::int as n from messages where search @@ (case when $2::text is null then to_tsquery('parley_search', $1)
					else to_tsquery('parley_search', $1) && (to_tsquery('parley_search', $2) || to_tsquery('parley_prefix', $2 || ':*')) end)`,
				[whole, last]
			);
			counts.push(rows[0].n);
		}
		out[kind] = { min: Math.min(...counts), max: Math.max(...counts) };
	}
	return out;
}

async function onDatabase(database, log) {
	const pgDb = database === 'postgres' ? await createBenchDatabase() : null;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-search-'));
	fs.chmodSync(dataDir, 0o755); // as root, the embedded server's user must enter it
	const server = await startParleyProcess({ env: pgDb ? { DATABASE_URL: pgDb.url } : {}, dataDir });
	const client = new pg.Client({ connectionString: pgDb?.url ?? embeddedDatabaseUrl(dataDir) });
	await client.connect();
	try {
		const [{ version }] = (await client.query(`select current_setting('server_version') as version`)).rows;
		log(`${database} (PostgreSQL ${version}): seeding ${MESSAGES} messages`);
		const seeded = await seed(client, log);
		const loadBefore = { ...machineLoad(), uptime: uptime() };
		const measured = await measure({ server, client, database, people: seeded.people, counts: seeded.counts, log });
		return {
			database,
			postgres: version,
			seed: { insertSeconds: seeded.insertSeconds, indexBuildSeconds: seeded.indexSeconds },
			sizes: await sizes(client),
			corpusMatches: await corpusMatches(client),
			...measured,
			loadBefore,
			loadAfter: { ...machineLoad(), uptime: uptime() }
		};
	} finally {
		await client.end();
		await server.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
		await pgDb?.drop();
	}
}

/** Runs the search benchmark on both databases. */
export async function benchSearch() {
	const log = (...args) => console.log(...args);
	const rows = [];
	const results = {};
	for (const database of ['embedded', 'postgres']) {
		let result;
		try {
			result = await onDatabase(database, log);
		} catch (error) {
			log(database, 'FAILED:', error.message);
			results[database] = { error: error.message };
			continue;
		}
		results[database] = result;
		for (const [kind, r] of Object.entries(result.results))
			rows.push({
				database,
				query: kind,
				p50: r.p50,
				p95: r.p95,
				'cpu p50': r.cpuP50,
				'cpu p95': r.cpuP95,
				'ILIKE ref. p50': r.referenceP50,
				target: !TARGETED.has(kind) ? '' : r.p95 < TARGET_P95_MS ? `met (p95 < ${TARGET_P95_MS} ms)` : `MISSED (p95 ≥ ${TARGET_P95_MS} ms)`
			});
		rows.push({
			database,
			query: `one word, heaviest member (${result.heaviest.conversations} conversations)`,
			p50: result.heaviest.oneWordP50,
			p95: result.heaviest.oneWordP95,
			'cpu p95': result.heaviest.oneWordCpuP95
		});
		rows.push({ database, query: `index ${result.sizes.indexMiB} MiB; messages table ${result.sizes.tableMiB} MiB` });
		rows.push({
			database,
			query: `load before ${result.loadBefore.load1}, after ${result.loadAfter.load1} (${result.loadBefore.cores} cores)`
		});
	}
	return {
		rows,
		results,
		corpus: { users: USERS, conversations: CONVERSATIONS, messages: MESSAGES, days: DAYS, samplesPerKind: SAMPLES, queries: QUERIES }
	};
}
