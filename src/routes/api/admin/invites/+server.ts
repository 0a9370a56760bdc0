// GET /api/admin/invites → {invites}; POST → 201 {invite, url}: the url (with its token) is shown once.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { listInvites } from '$lib/server/accounts/invites';
import { adminCreateInvite } from '$lib/server/admin/links';

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	return json({ invites: await listInvites(runtimeOf(event).db) });
});

export const POST = apiHandler(async (event) => {
	const { user } = requireAdmin(event);
	const rt = runtimeOf(event);
	const created = await adminCreateInvite(rt, user);
	return json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
});
