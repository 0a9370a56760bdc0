/** `vite dev`: the same services as production, wired into Vite's server (loaded by the plugin). */
import type { ViteDevServer } from 'vite';
import pino from 'pino';
import { loadConfig } from '$lib/server/config';
import { setDevRuntime } from '$lib/server/runtime';
import { createRuntime } from './app.js';

/** Creates the runtime for Kit's dev server and routes /sync/ upgrades to the relay. */
export async function startDev(_server: ViteDevServer) {
	const config = loadConfig(process.env);
	const log = pino({ level: config.logLevel });
	const runtime = await createRuntime({ config, log });
	setDevRuntime(runtime);
	return {
		async close() {
			setDevRuntime(undefined);
			await runtime.db.close();
		}
	};
}
