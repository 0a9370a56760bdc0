// GET /api/session → 200 {user: null} when signed out, else {user, inboxDocName} (GET /api/me's
// answer). The app's boot asks this rather than /api/me, whose 401 the browser would log in the
// console on every signed-out visit (issue 17).
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { publicUser } from '$lib/server/auth/types';
import { inboxDocName } from '$lib/server/doc-names';

export const GET = apiHandler(async ({ locals }) => {
	if (!locals.user || !locals.session) return json({ user: null });
	return json({ user: publicUser(locals.user), inboxDocName: inboxDocName(locals.user.id) });
});
