// Language and theme without the server: the offline shell may have been cached under another
// language or theme, so the page applies the stored preference (cookie) or the browser's language.
import { getLocale } from '$lib/i18n/paraglide/runtime.js';
import { THEME_COOKIE, themeOf } from '$lib/i18n/preferences';

/** The value of a cookie readable by script (language and theme are; the session is not). */
function cookie(name: string): string | undefined {
	for (const part of document.cookie.split(';')) {
		const [key, ...value] = part.trim().split('=');
		if (key === name) return decodeURIComponent(value.join('='));
	}
	return undefined;
}

/** Sets `<html lang data-theme>` from the stored preferences. */
export function applyPreferences(): void {
	// Paraglide's browser strategy: the language cookie, then navigator.languages, then English.
	document.documentElement.lang = getLocale();
	document.documentElement.dataset.theme = themeOf(cookie(THEME_COOKIE));
}
