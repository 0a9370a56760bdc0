/**
 * The production entry: the only code that reads the environment. Builds the config, starts
 * Parley, and stops it gracefully on SIGTERM/SIGINT.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { ConfigError, loadConfig } from '$lib/server/config';
import { startParley } from './app.js';
import { loadKitHandler } from './kit-handler.js';

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
	const log = pino({ level: config.logLevel, base: { pid: process.pid } });
	const handler = await loadKitHandler(buildDir, config);
	const parley = await startParley({ config, log, handler });
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ signal }, 'stopping');
		parley.close().then(
			() => process.exit(0),
			(error) => {
				log.error({ err: error }, 'unclean stop');
				process.exit(1);
			}
		);
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));
	return parley;
}
