// Runs the built process (build/process/main.js) without checking the build; `npm start` checks first.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build');
const { main } = await import(path.join(buildDir, 'process', 'main.js'));
try {
	await main(buildDir);
} catch (error) {
	// A start-up failure (database, Redis, port) is one line for the operator; the stack for us.
	console.error(`Parley cannot start: ${error instanceof Error ? error.message : error}`);
	if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error(error);
	process.exit(1);
}
