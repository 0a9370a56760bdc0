// GET /api/users/:id → {user}: one person's public profile.
import { json } from '@sveltejs/kit';
import { ApiError, apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { publicUser } from '$lib/server/auth/types';
import { getUser } from '$lib/server/accounts/users';
import { pathId } from '$lib/server/conversations/context';

export const GET = apiHandler(async (event) => {
	requireUser(event);
	const found = await getUser(runtimeOf(event).db, pathId(event.params.id, 'user'));
	if (!found) throw new ApiError(404, 'not_found', 'No such user');
	return json({ user: publicUser(found) });
});
