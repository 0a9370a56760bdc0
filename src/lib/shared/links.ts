/**
 * Link and token formats that the server makes and the browser reads, and the open-redirect
 * guard for the path to return to after signing in; pure functions, used on both sides.
 */

/** The path prefix of invite links (`<origin>/join/<token>`). */
export const INVITE_PATH_PREFIX = '/join/';

/** An invite token: 32 base32 characters (160 random bits). */
export const INVITE_TOKEN_PATTERN = /^[a-z2-7]{32}$/;

/** The longest `next` path kept across sign-in (longer is ignored, not cut). */
export const NEXT_PATH_MAX_CHARS = 512;

/** The token of an invite link, or of a bare token pasted; null when it is neither (refused before asking). */
export function inviteToken(input: string): string | null {
	const text = input.trim();
	let candidate = text;
	const at = text.indexOf(INVITE_PATH_PREFIX);
	if (at >= 0) candidate = text.slice(at + INVITE_PATH_PREFIX.length).split(/[?#/]/)[0] ?? '';
	return INVITE_TOKEN_PATTERN.test(candidate) ? candidate : null;
}

/**
 * A same-site path to return to after signing in, or null. Only a plain absolute path is kept:
 * `//host`, `/\host` and schemes would send the person to another site (an open redirect).
 */
export function safeNextPath(next: string | null | undefined): string | null {
	if (!next || next.length > NEXT_PATH_MAX_CHARS) return null;
	if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
	// Printable ASCII only: control characters (a header split, a hidden redirect) are never part of
	// a path we made, and anything past ASCII cannot go into a Location header (a 500 otherwise);
	// our own paths arrive percent-encoded.
	if (!/^[\x21-\x7e]+$/.test(next)) return null;
	return next;
}

/** The sign-in page, coming back to `path` afterwards (the app's root needs no `next`). */
export function loginPath(path: string): string {
	const next = safeNextPath(path);
	return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}
