// The Content-Security-Policy directives, read by svelte.config.js (plain JS, so it can import
// this file). User content is never raw HTML, and no third-party origin is ever contacted.
/** @type {NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']} */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self'],
	// Svelte sets inline style attributes (transitions); no inline <style> blocks are emitted.
	'style-src': ['self', 'unsafe-inline'],
	'img-src': ['self', 'data:', 'blob:'],
	'media-src': ['self', 'blob:'],
	'connect-src': ['self'],
	'font-src': ['self'],
	'worker-src': ['self'],
	'manifest-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self'],
	'frame-ancestors': ['none']
};
