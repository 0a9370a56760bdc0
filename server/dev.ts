/** `vite dev`: the same services as production, wired into Vite's server (loaded by the plugin). */
import type { ViteDevServer } from 'vite';
import pino from 'pino';
import { loadConfig } from '$lib/server/config';
import { setDevRuntime } from '$lib/server/runtime';
import { createRuntime } from './app.js';
import { SYNC_PATH } from './relay/index.js';

/** Creates the runtime for Kit's dev server and routes /sync/ upgrades to the relay. */
export async function startDev(server: ViteDevServer) {
	const port = server.config.server.port ?? 5173;
	const config = loadConfig({ PORT: String(port), ...process.env });
	const log = pino({ level: config.logLevel });
	const runtime = await createRuntime({ config, log });
	const { relay } = runtime;
	setDevRuntime(runtime);
	// Vite's own HMR socket has its own path and passes by.
	server.httpServer?.on('upgrade', (req, socket, head) => {
		if (req.url?.startsWith(SYNC_PATH)) relay.handleUpgrade(req, socket, head);
	});
	return {
		async close() {
			setDevRuntime(undefined);
			runtime.stopInbox();
			runtime.stopUploads();
			await runtime.closeRelay();
			await runtime.closeFanout();
			await runtime.db.close();
		}
	};
}
