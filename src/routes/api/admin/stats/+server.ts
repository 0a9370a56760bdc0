// GET /api/admin/stats → the admin panel's figures (AdminStats) as JSON; admins only.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { statsOf } from '$lib/server/admin/service';

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	return json(await statsOf(runtimeOf(event)), { headers: { 'cache-control': 'no-store' } });
});
