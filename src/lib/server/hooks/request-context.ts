/** Fills `locals.requestId` and `locals.log`, and sets the security headers on every answer. */
import type { Handle } from '@sveltejs/kit';
import { runtimeOf } from '../runtime.js';
import { applySecurityHeaders } from '../security-headers.js';
import { REQUEST_ID_HEADER } from '../request-id.js';

export const requestContext: Handle = async ({ event, resolve }) => {
	const runtime = runtimeOf(event);
	// The Node server assigns the id (and logs the request); under `vite dev` we make one here.
	event.locals.requestId = event.request.headers.get(REQUEST_ID_HEADER) ?? crypto.randomUUID();
	event.locals.log = runtime.log.child({ reqId: event.locals.requestId });
	const response = await resolve(event);
	applySecurityHeaders(response.headers, { https: runtime.config.origin.startsWith('https:') });
	return response;
};
