// Hooks only fill `locals` (request id, logger, language, theme, user, session), guard /api and refuse
// control characters in paths and queries; routes do the rest.
import { sequence } from '@sveltejs/kit/hooks';
import type { HandleServerError } from '@sveltejs/kit';
import { requestContext } from '$lib/server/hooks/request-context';
import { authenticate } from '$lib/server/hooks/authenticate';
import { apiGuard } from '$lib/server/hooks/api-guard';
import { inputGuard } from '$lib/server/hooks/input-guard';
import { i18nHook } from '$lib/i18n/hook';
import { building } from '$app/environment';
import { prerenderVisitor } from '$lib/server/hooks/prerender';

// Prerendering (the offline shell, src/routes/shell) runs at build time, with no runtime.
export const handle = building
	? sequence(prerenderVisitor, i18nHook)
	: sequence(requestContext, apiGuard, inputGuard, i18nHook, authenticate);

/** Unexpected errors are logged with the request id; the client sees no internals. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status !== 404) event.locals.log?.error({ err: error }, 'unhandled error');
	return { message: status === 404 ? 'Not found' : message, code: status === 404 ? 'not_found' : 'internal' };
};
