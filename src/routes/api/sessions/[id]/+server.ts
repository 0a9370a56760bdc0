// DELETE /api/sessions/:id → 204; that device is signed out at once, its sockets too.
import { apiHandler, ApiError } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { deleteSessionCookie } from '$lib/server/auth/cookies';
import { endSessions, sessionIdByPublicId } from '$lib/server/auth/session-list';
import { pathId } from '$lib/server/conversations/context';

export const DELETE = apiHandler(async (event) => {
	const { user, session } = requireUser(event);
	const rt = runtimeOf(event);
	const id = await sessionIdByPublicId(rt.db, user.id, pathId(event.params.id, 'session'));
	// Someone else's session answers exactly like a missing one.
	if (!id) throw new ApiError(404, 'not_found', 'No such session');
	await endSessions(rt, [id]);
	if (id === session.id) deleteSessionCookie(event.cookies, rt.config);
	return new Response(null, { status: 204 });
});
