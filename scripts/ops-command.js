// Runs one operator command of the built process (build/process/ops.js), building first if needed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildIsFresh } from '../server/start.js';

/** Builds if needed, then runs `name` from ops.js with the command-line arguments; exits with its code. */
export async function runOpsCommand(name) {
	if (!buildIsFresh()) {
		console.log('Building Parley first (sources changed)…');
		build();
	}
	const ops = await import(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'process', 'ops.js'));
	process.exit(await ops[name](process.argv.slice(2), process.env));
}
