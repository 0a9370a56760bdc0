// GET /api/users?q= → {users}: username or display name contains q (ignoring case), caller excluded;
// never people who blocked the caller, and a partial match only as their `findable_by` privacy allows.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { ApiError, apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { searchVisibleUsers } from '$lib/server/contacts/search';

/** Longest search text. */
const QUERY_MAX = 64;
const Query = z.string().trim().min(1, 'is required').max(QUERY_MAX, `must be at most ${QUERY_MAX} characters`);

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const q = Query.safeParse(event.url.searchParams.get('q') ?? '');
	if (!q.success) throw new ApiError(400, 'invalid_input', `q: ${q.error.issues[0]?.message ?? 'invalid'}`);
	const users = await searchVisibleUsers(rt.db, { me: user.id, query: q.data, limit: rt.config.limits.userSearchMaxResults });
	return json({ users });
});
