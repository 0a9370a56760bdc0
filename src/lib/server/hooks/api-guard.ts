/**
 * Guards `/api`: a state-changing call whose `Origin` is present and is not ours is refused
 * (cross-site request forgery; Kit's own check covers only form content types).
 */
import type { Handle } from '@sveltejs/kit';
import { runtimeOf } from '../runtime.js';
import { errorResponse } from '../http-errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const apiGuard: Handle = async ({ event, resolve }) => {
	if (event.url.pathname.startsWith('/api/') && !SAFE_METHODS.has(event.request.method)) {
		const origin = event.request.headers.get('origin');
		if (origin !== null && origin !== runtimeOf(event).config.origin)
			return errorResponse(403, 'bad_origin', `Requests must come from ${runtimeOf(event).config.origin}`);
	}
	return resolve(event);
};
