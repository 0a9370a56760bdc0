// POST /api/auth/logout → 204; the session (even a half-signed-in one) ends, its sockets too.
// The answer carries `Clear-Site-Data: "cache", "storage"`: uploads and stickers are cached for a
// year (`immutable`), so on a shared computer the browser itself must forget them; the client
// still wipes its own stores explicitly (older browsers, and a sign-out that never reached here).
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { deleteSessionCookie } from '$lib/server/auth/cookies';
import { signOut } from '$lib/server/accounts/sign-in';

/** What the browser is told to drop at sign-out (not "cookies": the cookie is deleted explicitly). */
const CLEAR_SITE_DATA = '"cache", "storage"';

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	if (event.locals.session) await signOut(rt, event.locals.session.id);
	deleteSessionCookie(event.cookies, rt.config);
	return new Response(null, { status: 204, headers: { 'clear-site-data': CLEAR_SITE_DATA } });
});
