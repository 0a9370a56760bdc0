/** Fills `locals.user` and `locals.session` from the session cookie, renewing it when due. */
import type { Handle } from '@sveltejs/kit';
import { runtimeOf } from '../runtime.js';
import { SESSION_COOKIE, validateSessionToken } from '../auth/sessions.js';
import { setSessionCookie, deleteSessionCookie } from '../auth/cookies.js';

export const authenticate: Handle = async ({ event, resolve }) => {
	const { db, config, now } = runtimeOf(event);
	event.locals.user = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = await validateSessionToken(db, token, now(), config.limits);
		if (result) {
			event.locals.session = result.session;
			// A half-signed-in session (second factor owed) is not a signed-in user.
			event.locals.user = result.session.twoFactorPending ? null : result.user;
			if (result.renewed) setSessionCookie(event.cookies, token, result.session.expiresAt, config);
		} else {
			deleteSessionCookie(event.cookies, config);
		}
	}
	return resolve(event);
};
