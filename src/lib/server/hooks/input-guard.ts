/**
 * Refuses a request whose path parameters or query hold a control character (NUL above all,
 * which PostgreSQL text cannot store): 400 naming the parameter, before any route runs. Bodies
 * are checked where they are read (`readBody`, `readForm`), with each field's own rules.
 */
import type { Handle } from '@sveltejs/kit';
import { hasControlCharacter } from '$lib/text';
import { errorResponse } from '../http-errors.js';

/** The first path parameter or query key/value with a control character, or null. */
export function controlCharacterField(params: Record<string, string>, query: URLSearchParams): string | null {
	for (const [name, value] of Object.entries(params)) if (hasControlCharacter(value)) return name;
	for (const [key, value] of query) if (hasControlCharacter(key) || hasControlCharacter(value)) return key.replace(/\p{Cc}/gu, '');
	return null;
}

export const inputGuard: Handle = async ({ event, resolve }) => {
	const field = controlCharacterField(event.params, event.url.searchParams);
	if (field === null) return resolve(event);
	const message = `${field || 'query'}: must not contain control characters`;
	if (event.url.pathname.startsWith('/api/')) return errorResponse(400, 'invalid_input', message, { field: field || 'query' });
	return new Response(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
