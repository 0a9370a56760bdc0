// `npm run bench -- search-local`: the on-device search index at 100 000 messages. The engine is
// TypeScript, so the measurement is a Vitest file (bench/search-local.measure.ts) run here in its
// own project; it writes bench/results/search-local.json, which this reads back for the table.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib.js';

export async function benchSearchLocal() {
	const vitest = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
	const run = spawnSync(process.execPath, [vitest, 'run', '--project', 'search-local'], {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, PARLEY_SEARCH_BENCH: '1' }
	});
	if (run.status !== 0) throw new Error('the search-local measurement failed');
	const result = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/results/search-local.json'), 'utf8'));
	const { at: _at, node: _node, cpus: _cpus, ...figures } = result;
	return {
		rows: [
			{ measure: `build ${result.messages} messages (apply, batches of 5000)`, value: `${result.buildMs} ms` },
			{ measure: 'heap held by the index', value: `${result.heapMiB} MiB (texts ${result.textMiB} MiB)` },
			{ measure: 'snapshot (IndexedDB value)', value: `${result.snapshotMiB} MiB; save ${result.saveMs} ms, load ${result.loadMs} ms` },
			{ measure: 'query p50 / p95', value: `${result.queryP50Ms} / ${result.queryP95Ms} ms` },
			{ measure: 'one new message / one edit', value: `${result.oneMessageMs} / ${result.oneEditMs} ms` },
			{ measure: `no-op sync of a ${result.noOpSync.messages}-message conversation`, value: `${result.noOpSync.ms} ms` },
			{ measure: 'load', value: `before ${result.loadBefore.load1}, after ${result.loadAfter.load1}` }
		],
		...figures
	};
}
