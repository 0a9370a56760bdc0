// `npm run bench`: builds if needed, runs each benchmark, prints a table, writes bench/results/*.json.
// Usage: npm run bench [-- name …]   (names: startup, relay, inbox, memory, abuse, accounts, uploads, app, push, search, search-local); BENCH_ROUNDS=n
// sets the rounds of the interleaved benchmarks (startup, relay).
import { build, buildIsFresh } from '../server/start.js';
import { writeResult } from './lib.js';

const BENCHMARKS = {
	startup: async () => (await import('./startup.js')).benchStartup(),
	relay: async () => (await import('./relay.js')).benchRelay(),
	inbox: async () => (await import('./inbox.js')).benchInbox(),
	memory: async () => (await import('./memory.js')).benchMemory(),
	abuse: async () => (await import('./abuse.js')).benchAbuse(),
	accounts: async () => (await import('./accounts.js')).benchAccounts(),
	uploads: async () => (await import('./uploads.js')).benchUploads(),
	app: async () => (await import('./app.js')).benchApp(),
	push: async () => (await import('./push.js')).benchPush(),
	search: async () => (await import('./search.js')).benchSearch(),
	'search-local': async () => (await import('./search-local.js')).benchSearchLocal()
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(BENCHMARKS);
if (!buildIsFresh()) build();
for (const name of names) {
	const run = BENCHMARKS[name];
	if (!run) {
		console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHMARKS).join(', ')}`);
		process.exit(2);
	}
	console.log(`\n== ${name}`);
	const result = await run();
	console.table(result.rows);
	// Per-run details (each round, each process) go to the file only.
	const { rows: _rows, results: _perRun, ...rest } = result;
	if (Object.keys(rest).length) console.log(rest);
	console.log('written to', writeResult(name, result));
}
