/** Loads SvelteKit's built handler, telling adapter-node the limits it reads from its environment. */
import type { Config } from '$lib/server/config';
import { ORIGIN_HOST_HEADER, ORIGIN_PROTOCOL_HEADER, type KitHandler } from './http.js';

/** Imports `handler.js` from a build directory. adapter-node reads its settings at import. */
export async function loadKitHandler(buildDir: string, config: Config): Promise<KitHandler> {
	// adapter-node enforces its own body limit (512 KiB by default) before our routes run;
	// uploads need room for UPLOAD_MAX_BYTES plus multipart overhead. Routes enforce the real limits.
	process.env.BODY_SIZE_LIMIT = String(config.uploadMaxBytes + 1024 * 1024);
	// Without ORIGIN, adapter-node assumes https and the Host header, so SvelteKit's CSRF check
	// refused every form post over http. The server stamps the configured origin on each request
	// (see http.ts; known only after listen when PORT=0) and adapter-node reads it from there.
	process.env.PROTOCOL_HEADER = ORIGIN_PROTOCOL_HEADER;
	process.env.HOST_HEADER = ORIGIN_HOST_HEADER;
	const module = (await import(/* @vite-ignore */ `${buildDir}/handler.js`)) as { handler: KitHandler };
	return module.handler;
}
