/** Guards for page loads and actions: signed in, or off to the sign-in page. */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionInfo, SessionUser } from '../auth/types.js';

/** Where signed-out people are sent. */
export const SIGN_IN_PATH = '/login';
/** Where a half-signed-in session finishes. */
export const TWO_FACTOR_PATH = '/login/2fa';

/** The signed-in user, or a redirect to the sign-in page (or to 2FA when it is owed). */
export function pageUser(event: Pick<RequestEvent, 'locals'>): { user: SessionUser; session: SessionInfo } {
	const { user, session } = event.locals;
	if (session?.twoFactorPending) redirect(303, TWO_FACTOR_PATH);
	if (!user || !session) redirect(303, SIGN_IN_PATH);
	return { user, session };
}

/** A same-site path to return to, or `fallback` (never an absolute or protocol-relative URL). */
export function localPath(value: unknown, fallback = '/'): string {
	return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
