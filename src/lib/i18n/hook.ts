/**
 * Fills `locals.locale` and `locals.theme` and writes them into the page's `<html lang data-theme>`.
 * Paraglide's middleware picks the language (cookie, then Accept-Language, then English) and
 * keeps it for this request, so message functions called on the server speak it.
 */
import type { Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from './paraglide/server.js';
import { THEME_COOKIE, isLocale, themeOf } from './preferences.js';

export const i18nHook: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		event.locals.locale = isLocale(locale) ? locale : 'en';
		event.locals.theme = themeOf(event.cookies.get(THEME_COOKIE));
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%parley.lang%', event.locals.locale).replace('%parley.theme%', event.locals.theme)
		});
	});
