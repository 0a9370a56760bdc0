/** Route guards: who is asking, or an ApiError. */
import type { RequestEvent } from '@sveltejs/kit';
import { ApiError } from '../http-errors.js';
import type { SessionInfo, SessionUser } from './types.js';

/** The signed-in user and session, or 401. */
export function requireUser(event: Pick<RequestEvent, 'locals'>): { user: SessionUser; session: SessionInfo } {
	const { user, session } = event.locals;
	if (!user || !session) throw new ApiError(401, 'unauthenticated', 'Sign in first');
	return { user, session };
}

/** The signed-in admin, or 401/403. */
export function requireAdmin(event: Pick<RequestEvent, 'locals'>): { user: SessionUser; session: SessionInfo } {
	const who = requireUser(event);
	if (who.user.role !== 'admin') throw new ApiError(403, 'forbidden', 'Only an administrator may do this');
	return who;
}
