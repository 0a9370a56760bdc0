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
	// Paraglide clones the request it is given, which tees its body: the branch nobody reads holds
	// everything the route reads (ten 50 MiB uploads grew the process by 375 MiB; a signed-out
	// client could pin ~5 MiB per slow connection on any route). It reads only the URL and
	// headers (no URL strategy: nothing is rewritten), so every request, on every route, shows
	// it a copy without a body and keeps its own.
	const shown = new Request(original.url, { method: original.method, headers: original.headers });
	return paraglideMiddleware(shown, ({ locale }) => {
		event.request = original;
		event.locals.locale = isLocale(locale) ? locale : 'en';
		event.locals.theme = themeOf(event.cookies.get(THEME_COOKIE));
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%parley.lang%', event.locals.locale).replace('%parley.theme%', event.locals.theme)
		});
	});
};
