// `npm test`: builds the app if needed (integration and browser tests use the production
// build), then runs every Vitest project. Extra arguments go to Vitest.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { build, buildIsFresh } from '../server/start.js';

if (!buildIsFresh()) {
	console.log('Building Parley for the tests…');
	build();
}
const vitest = path.resolve('node_modules/vitest/vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
