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

/**
 * The security headers every document carries besides the CSP. Applied by the server hook
 * (`src/lib/server/security-headers.ts`) and by the service worker to the offline shell it serves
 * for app pages (a prerendered page's CSP is a <meta> tag, which cannot say frame-ancestors).
 * @type {Record<string, string>}
 */
export const SECURITY_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	// Older browsers ignore CSP frame-ancestors; this says the same to them.
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin',
	// the microphone for our own pages only: voice messages (issue 11) record from it
	'permissions-policy': 'camera=(), microphone=(self), geolocation=(), payment=()'
};
