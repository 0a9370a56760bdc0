/** Per-browser preferences kept in cookies: language and theme (shared by server and browser code). */

/** Languages Parley speaks. */
export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

/** Themes: follow the system, or force one. */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** Cookie names; the language cookie is also read by Paraglide in the browser (so not HttpOnly). */
export const LOCALE_COOKIE = 'parley-lang';
export const THEME_COOKIE = 'parley-theme';
/** Preferences are kept about a year (browsers cap cookies at 400 days). */
export const PREFERENCE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

/** The theme a cookie value names, or "system". */
export function themeOf(value: string | undefined): Theme {
	return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'system';
}

/** True for a supported language tag. */
export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
