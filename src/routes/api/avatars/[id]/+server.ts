// GET /api/avatars/:id → the WebP. Ids change on every upload, so the answer never changes.
import { apiHandler, ApiError } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { avatarResponse, readAvatar } from '$lib/server/accounts/avatars';

/** Avatars are for signed-in people only (a public server's member list stays private). */
export const GET = apiHandler(async (event) => {
	requireUser(event);
	const id = event.params.id ?? '';
	const bytes = /^[a-z2-7]{24}$/.test(id) ? await readAvatar(runtimeOf(event).db, id) : null;
	if (!bytes) throw new ApiError(404, 'not_found', 'No such avatar');
	return avatarResponse(bytes);
});
