/** The language of the current request, for server code outside components (e.g. mails). */
import type { RequestEvent } from '@sveltejs/kit';
import type { Locale } from './preferences.js';

/** The language the hook chose for this request. */
export function localeOfRequest(event: Pick<RequestEvent, 'locals'>): Locale {
	return event.locals.locale ?? 'en';
}
