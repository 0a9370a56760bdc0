/** Small helpers the account routes and page actions share. */
import type { RequestEvent } from '@sveltejs/kit';
import { setSessionCookie } from '../auth/cookies.js';
import type { Config } from '../config.js';
import type { ClientInfo } from './services.js';
import type { NewSession } from './sign-in.js';

/** The caller's address and user agent. */
export function clientOf(event: Pick<RequestEvent, 'getClientAddress' | 'request'>): ClientInfo {
	return { address: event.getClientAddress(), userAgent: event.request.headers.get('user-agent') };
}

/** Puts a new session's token in the cookie. */
export function startSession(event: Pick<RequestEvent, 'cookies'>, config: Pick<Config, 'secureCookies'>, created: NewSession): void {
	setSessionCookie(event.cookies, created.token, created.session.expiresAt, config);
}
