/** Loads SvelteKit's built handler, telling adapter-node the limits it reads from its environment. */
import type { Config } from '$lib/server/config';
import { ORIGIN_HOST_HEADER, ORIGIN_PROTOCOL_HEADER, type KitHandler } from './http.js';
import { bodyLimits, refuseBody, uploadRouteOf } from './body-limit.js';

/**
 * Imports `handler.js` from a build directory. adapter-node reads its settings at import; its one
 * body limit (BODY_SIZE_LIMIT) is the upload limit, and every request that is not an upload is
 * held to the small `requestBodyMaxBytes` before the handler sees it (server/body-limit.ts).
 */
export async function loadKitHandler(buildDir: string, config: Config): Promise<KitHandler> {
	const limits = bodyLimits(config);
	process.env.BODY_SIZE_LIMIT = String(limits.upload);
	// Without ORIGIN, adapter-node assumes https and the Host header, so SvelteKit's CSRF check
	// refused every form post over http. The server stamps the configured origin on each request
	// (see http.ts; known only after listen when PORT=0) and adapter-node reads it from there.
	process.env.PROTOCOL_HEADER = ORIGIN_PROTOCOL_HEADER;
	process.env.HOST_HEADER = ORIGIN_HOST_HEADER;
	const module = (await import(/* @vite-ignore */ `${buildDir}/handler.js`)) as { handler: KitHandler };
	return (req, res, next) => {
		const route = uploadRouteOf(req.method, req.url);
		const limit = route === 'upload' ? limits.upload : route === 'avatar' ? limits.avatar : limits.general;
		if (refuseBody(req, res, limit, route === 'upload')) return;
		module.handler(req, res, next);
	};
}
