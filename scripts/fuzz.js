// `npm run fuzz [-- --seed N] [--frames N] [--bench]`: 10^5 seeded adversarial updates through the checker
// (test/fuzz/updates.fuzz.ts), outside `npm test`. Failing cases land in
// test/unit/sync/fuzz-regressions.json, which the unit suite replays.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name) => {
	const at = args.indexOf(`--${name}`);
	return at >= 0 ? args[at + 1] : undefined;
};
const env = { ...process.env, PARLEY_FUZZ: '1' };
const seed = option('seed');
const frames = option('frames');
if (seed !== undefined) env.FUZZ_SEED = seed;
if (frames !== undefined) env.FUZZ_FRAMES = frames;
const vitest = path.resolve('node_modules/vitest/vitest.mjs');
// --bench: the one-off delete-bomb measurement instead (test/fuzz/delete-bomb.bench.ts)
const file = args.includes('--bench') ? 'test/fuzz/delete-bomb.bench.ts' : 'test/fuzz/updates.fuzz.ts';
const result = spawnSync(process.execPath, [vitest, 'run', '--project', 'fuzz', file], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
