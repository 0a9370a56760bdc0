// `npm test`: builds the app if needed (integration and browser tests use the production
// build), checks the chat route's JavaScript against its size budget (scripts/js-size.js), then
// runs every Vitest project. Extra arguments go to Vitest. Over budget, the tests still run and
// the command fails at the end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build, buildIsFresh } from '../server/start.js';

// The size check reads the build's own manifest beside build/ (.svelte-kit/output): without it, build.
if (!buildIsFresh() || !fs.existsSync(path.resolve('.svelte-kit/output/server/manifest.js'))) {
	console.log('Building Parley for the tests…');
	build();
}
const size = spawnSync(process.execPath, [path.resolve('scripts/js-size.js')], { stdio: 'inherit' });
const vitest = path.resolve('node_modules/vitest/vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
if (size.status !== 0) console.error('npm test: the size check failed (above)');
// Vitest's own failure first (its code), else the size check's.
process.exit(result.status !== 0 ? (result.status ?? 1) : (size.status ?? 1));
