// Appearance: theme and language, kept in cookies (works signed out too).
import { fail, redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { LOCALE_COOKIE, PREFERENCE_COOKIE_MAX_AGE_S, THEME_COOKIE, THEMES, isLocale } from '$lib/i18n/preferences';
import { localPath } from '$lib/server/accounts/pages';
import { formOf } from '$lib/server/accounts/forms';

export const actions: Actions = {
	theme: async (event) => {
		const form = await formOf(event).catch(() => null);
		if (!form) return fail(400, { error: 'theme' });
		const theme = String(form.get('theme'));
		if (!(THEMES as readonly string[]).includes(theme)) return fail(400, { error: 'theme' });
		// Not HttpOnly: harmless, and the page may read it.
		event.cookies.set(THEME_COOKIE, theme, {
			path: '/',
			httpOnly: false,
			sameSite: 'lax',
			maxAge: PREFERENCE_COOKIE_MAX_AGE_S,
			secure: runtimeOf(event).config.secureCookies
		});
		redirect(303, localPath(form.get('returnTo'), '/settings/appearance'));
	},
	language: async (event) => {
		const form = await formOf(event).catch(() => null);
		if (!form) return fail(400, { error: 'locale' });
		const locale = form.get('locale');
		if (!isLocale(locale)) return fail(400, { error: 'locale' });
		// Not HttpOnly: Paraglide reads it in the browser to pick the same language.
		event.cookies.set(LOCALE_COOKIE, locale, {
			path: '/',
			httpOnly: false,
			sameSite: 'lax',
			maxAge: PREFERENCE_COOKIE_MAX_AGE_S,
			secure: runtimeOf(event).config.secureCookies
		});
		redirect(303, localPath(form.get('returnTo'), '/settings/appearance'));
	}
};
