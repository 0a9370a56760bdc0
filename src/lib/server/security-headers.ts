/**
 * The security headers every answer carries, in one place. The Content-Security-Policy itself is
 * set by SvelteKit (`kit.csp` in svelte.config.js, which adds nonces for its inline bootstrap);
 * its directives and these headers live in `src/lib/security-policy.js` (the service worker reads them too).
 */
import { SECURITY_HEADERS } from '../security-policy.js';

export { SECURITY_HEADERS };

/**
 * Strict-Transport-Security when the public origin is https: browsers then never try plain http
 * for a year. No `includeSubDomains`: other hosts under the same domain are not ours to decide.
 */
export const HSTS_VALUE = 'max-age=31536000';

/** Sets the security headers on a response (without replacing ones a route chose); HSTS when `https`. */
export function applySecurityHeaders(headers: Headers, options: { https: boolean }): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!headers.has(name)) headers.set(name, value);
	if (options.https && !headers.has('strict-transport-security')) headers.set('strict-transport-security', HSTS_VALUE);
}
