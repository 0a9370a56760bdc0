/** The session cookie: HttpOnly, SameSite=Lax, Secure when the origin is https (SPEC §3). */
import type { Cookies } from '@sveltejs/kit';
import type { Config } from '../config.js';
import { SESSION_COOKIE } from './sessions.js';

/** Sets the session cookie to `token` until `expiresAt`. */
export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date, config: Pick<Config, 'secureCookies'>) {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: config.secureCookies,
		expires: expiresAt
	});
}

/** Removes the session cookie. */
export function deleteSessionCookie(cookies: Cookies, config: Pick<Config, 'secureCookies'>) {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
}
