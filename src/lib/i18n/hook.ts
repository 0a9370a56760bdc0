/**
 * Fills `locals.locale` and `locals.theme` and writes them into the page's `<html lang data-theme>`.
 * Paraglide's middleware picks the language (cookie, then Accept-Language, then English) and
 * keeps it for this request, so message functions called on the server speak it.
 */
import type { Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from './paraglide/server.js';
import { THEME_COOKIE, isLocale, themeOf } from './preferences.js';

/** Routes that stream their request body (uploads, docs/uploads.md). */
const STREAMED_BODY_PATHS: ReadonlySet<string> = new Set(['/api/uploads']);

export const i18nHook: Handle = ({ event, resolve }) => {
	const original = event.request;
	// Paraglide clones the request it is given, which tees its body: the branch nobody reads would
	// hold a whole upload in memory (ten 50 MiB uploads grew the process by 375 MiB). It reads only
	// the URL and headers, so a streamed upload shows it a copy without a body and keeps its own.
	const streamed = original.method === 'POST' && STREAMED_BODY_PATHS.has(event.url.pathname);
	const shown = streamed ? new Request(original.url, { headers: original.headers }) : original;
	return paraglideMiddleware(shown, ({ request, locale }) => {
		event.request = streamed ? original : request;
		event.locals.locale = isLocale(locale) ? locale : 'en';
		event.locals.theme = themeOf(event.cookies.get(THEME_COOKIE));
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%parley.lang%', event.locals.locale).replace('%parley.theme%', event.locals.theme)
		});
	});
};
