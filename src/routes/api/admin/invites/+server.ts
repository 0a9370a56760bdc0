// GET /api/admin/invites → {invites}; POST → 201 {invite, url}: the url (with its token) is shown once.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { createInvite, listInvites } from '$lib/server/accounts/invites';

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	return json({ invites: await listInvites(runtimeOf(event).db) });
});

export const POST = apiHandler(async (event) => {
	const { user } = requireAdmin(event);
	const rt = runtimeOf(event);
	const created = await createInvite(rt.db, {
		createdBy: user.id,
		now: rt.now(),
		ttlMs: rt.config.limits.inviteTtlMs,
		origin: rt.config.origin
	});
	return json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
});
