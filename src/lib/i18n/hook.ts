/**
 * Fills `locals.locale` and `locals.theme` and writes them into the page's `<html lang data-theme>`.
 * Paraglide's middleware picks the language (cookie, then Accept-Language, then English) and
 * keeps it for this request, so message functions called on the server speak it.
 */
import type { Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from './paraglide/server.js';
import { THEME_COOKIE, isLocale, themeOf } from './preferences.js';

export const i18nHook: Handle = ({ event, resolve }) => {
	const original = event.request;
	// Paraglide clones the request it is given, which tees its body: the branch nobody reads then
	// buffers the whole body (a 50 MiB upload held in memory). It reads only the URL and headers,
	// so a request with a body is shown a copy without one, and the route keeps the original.
	const withBody = original.body !== null;
	const shown = withBody ? new Request(original.url, { headers: original.headers }) : original;
	return paraglideMiddleware(shown, ({ request, locale }) => {
		event.request = withBody ? original : request;
		event.locals.locale = isLocale(locale) ? locale : 'en';
		event.locals.theme = themeOf(event.cookies.get(THEME_COOKIE));
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%parley.lang%', event.locals.locale).replace('%parley.theme%', event.locals.theme)
		});
	});
};
