// POST /api/auth/logout → 204; the session (even a half-signed-in one) ends, its sockets too.
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { deleteSessionCookie } from '$lib/server/auth/cookies';
import { signOut } from '$lib/server/accounts/sign-in';

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	if (event.locals.session) await signOut(rt, event.locals.session.id);
	deleteSessionCookie(event.cookies, rt.config);
	return new Response(null, { status: 204 });
});
