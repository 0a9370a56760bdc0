// GET /api/admin/users/search?q= → {users: [AdminUserView]}: conversations, sessions, last seen, disabled, demo.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { searchAccounts } from '$lib/server/admin/users';

/** Most accounts one search answers (the panel pages by narrowing the search). */
const SEARCH_MAX = 200;

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 64);
	return json({ users: await searchAccounts(runtimeOf(event).db, q, SEARCH_MAX) }, { headers: { 'cache-control': 'no-store' } });
});
