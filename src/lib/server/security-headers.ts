/**
 * The security headers every answer carries, in one place. The Content-Security-Policy itself is
 * set by SvelteKit (`kit.csp` in svelte.config.js, which adds nonces for its inline bootstrap);
 * its directives and these headers live in `src/lib/security-policy.js` (the service worker reads them too).
 */
import { SECURITY_HEADERS } from '../security-policy.js';

export { SECURITY_HEADERS };

/** Sets the security headers on a response (without replacing ones a route chose). */
export function applySecurityHeaders(headers: Headers): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!headers.has(name)) headers.set(name, value);
}
