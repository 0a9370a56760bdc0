// Paraglide 2 compiles messages/{locale}.json into typed message functions at build and dev time.
// The message-format plugin is loaded from node_modules by a relative path in
// project.inlang/settings.json (the default CDN URL cannot work offline, and nothing is fetched).
import { paraglideVitePlugin } from '@inlang/paraglide-js';

/** Paraglide's options as Parley sets them (also used by `scripts/i18n-compile.js` for `npm run check`). */
/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const PARAGLIDE_OPTIONS = {
	project: './project.inlang',
	outdir: './src/lib/i18n/paraglide',
	// A picked language wins; else the browser's Accept-Language / navigator.languages; else English.
	strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
	// Must equal LOCALE_COOKIE in preferences.ts (this file is loaded by Vite's config, before TS).
	cookieName: 'parley-lang',
	emitGitIgnore: true
};

/** The Paraglide plugin as Parley configures it. */
export function parleyI18n() {
	return paraglideVitePlugin(PARAGLIDE_OPTIONS);
}
