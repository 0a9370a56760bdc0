// GET /api/users?q= → {users}: username or display name contains q (ignoring case), caller excluded;
// never people who blocked the caller, and a partial match only as their `findable_by` privacy allows.
// Rate limited per user (`rateUserSearchMax`): people type a few searches; scripts enumerate.
import { json } from '@sveltejs/kit';
import { apiHandler, readParam } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { searchVisibleUsers } from '$lib/server/contacts/search';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';
import { searchSchema } from '$lib/text';

/** Longest search text. */
const QUERY_MAX = 64;
const Query = searchSchema(QUERY_MAX, true);

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const q = readParam(event.url.searchParams.get('q') ?? '', Query, 'q');
	await enforceRate(rt.rateLimiter, `search:users:${user.id}`, rateRules(rt.config.limits).userSearch);
	const users = await searchVisibleUsers(rt.db, { me: user.id, query: q, limit: rt.config.limits.userSearchMaxResults });
	return json({ users });
});
