// A real Parley on port 0 with a real database, as the tests' server. The SvelteKit handler is
// the production build's (npm test builds first).
import path from 'node:path';
import pino, { type DestinationStream } from 'pino';
import { loadConfig, type Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import { startParley, type Parley } from '../../server/app.js';
import { loadKitHandler } from '../../server/kit-handler.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestServer {
	url: string;
	origin: string;
	parley: Parley;
	db: Db;
	database: TestDatabase;
	config: Config;
	/** Stops the server; the database stays, so `restart()` finds the data again. */
	stop(): Promise<void>;
	/** A new server on the same database (same port if it is free). */
	restart(): Promise<TestServer>;
	/** Stops the server and deletes its database. */
	close(): Promise<void>;
}

/** Starts Parley on a fresh test database; `env` and `overrides` adjust the configuration. */
export async function startTestServer(
	options: {
		env?: Record<string, string>;
		overrides?: Partial<Config>;
		database?: TestDatabase;
		now?: () => number;
		/** Where log lines go (e.g. to capture them in a test); default stdout. */
		logDestination?: DestinationStream;
		/** The SvelteKit build to serve; default `build/` (the PWA test serves a changed copy). */
		buildDir?: string;
		/** Web push's network edges (name resolution, transport), for the push tests. */
		push?: Parameters<typeof startParley>[0]['push'];
	} = {}
): Promise<TestServer> {
	const database = options.database ?? (await createTestDatabase());
	const config = loadConfig(
		{
			PORT: '0',
			LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
			DATA_DIR: path.join('/tmp', 'parley-test-data'),
			...options.env
		},
		options.overrides
	);
	const log = options.logDestination ? pino({ level: config.logLevel }, options.logDestination) : pino({ level: config.logLevel });
	const handler = await loadKitHandler(options.buildDir ?? path.resolve('build'), config);
	const db = await database.open();
	const parley = await startParley({ config, log, handler, db, now: options.now, push: options.push });
	const server: TestServer = {
		url: parley.url,
		origin: parley.runtime.config.origin,
		parley,
		db,
		database,
		config,
		stop: () => parley.close(),
		restart: async () => {
			await parley.close();
			return startTestServer({ ...options, database });
		},
		async close() {
			await parley.close();
			await database.destroy();
		}
	};
	return server;
}
