/**
 * The production entry: the only code that reads the environment. Builds the config, starts
 * Parley, and stops it within SHUTDOWN_TIMEOUT_MS on SIGTERM/SIGINT (server/shutdown.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { ConfigError, loadConfig } from '$lib/server/config';
import { startParley } from './app.js';
import { loadKitHandler } from './kit-handler.js';
import { nonBlockingDestination } from './log-destination.js';
import { handleShutdownSignals } from './shutdown.js';

/** Starts the process; `buildDir` holds SvelteKit's `handler.js`. */
export async function main(buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')) {
	let config;
	try {
		config = loadConfig(process.env);
	} catch (error) {
		if (error instanceof ConfigError) {
			console.error(`Parley cannot start: ${error.message}`);
			process.exit(1);
		}
		throw error;
	}
	// stdout through a destination that never blocks (no synchronous, retrying writes); stderr's
	// errors (EPIPE once a parent has gone) are not worth an uncaught exception either.
	const destination = nonBlockingDestination(process.stdout, config.limits.logBufferMaxBytes);
	process.stderr.on('error', () => {});
	const log = pino({ level: config.logLevel, base: { pid: process.pid } }, destination);
	const handler = await loadKitHandler(buildDir, config);
	const parley = await startParley({ config, log, handler });
	handleShutdownSignals({ close: () => parley.close(), log, flushLog: destination.flush, timeoutMs: config.shutdownTimeoutMs });
	return parley;
}
