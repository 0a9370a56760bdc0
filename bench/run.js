// `npm run bench`: builds if needed, runs each benchmark, prints a table, writes bench/results/*.json.
// Usage: npm run bench [-- name …]   (names: startup, relay, inbox, memory, app)
import { build, buildIsFresh } from '../server/start.js';
import { writeResult } from './lib.js';

const BENCHMARKS = {
	startup: async () => (await import('./startup.js')).benchStartup(),
	relay: async () => (await import('./relay.js')).benchRelay(),
	inbox: async () => (await import('./inbox.js')).benchInbox(),
	memory: async () => (await import('./memory.js')).benchMemory(),
	app: async () => (await import('./app.js')).benchApp()
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
	const { rows, ...rest } = result;
	if (Object.keys(rest).length) console.log(rest);
	console.log('written to', writeResult(name, result));
}
