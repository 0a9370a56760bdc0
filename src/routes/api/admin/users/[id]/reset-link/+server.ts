// POST /api/admin/users/:id/reset-link → 201 {url, expiresAt}: a one-time link the admin hands over.
import { json } from '@sveltejs/kit';
import { ApiError, apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { getUser } from '$lib/server/accounts/users';
import { issueResetLink } from '$lib/server/accounts/reset';
import { pathId } from '$lib/server/conversations/context';

export const POST = apiHandler(async (event) => {
	const { user: admin } = requireAdmin(event);
	const rt = runtimeOf(event);
	const target = await getUser(rt.db, pathId(event.params.id, 'user'));
	if (!target) throw new ApiError(404, 'not_found', 'No such user');
	const link = await issueResetLink(rt.db, {
		userId: target.id,
		createdBy: admin.id,
		now: rt.now(),
		ttlMs: rt.config.limits.resetTokenTtlMs,
		origin: rt.config.origin
	});
	rt.log.info({ adminId: admin.id, userId: target.id }, 'admin issued a reset link');
	return json({ url: link.url, expiresAt: link.expiresAt.toISOString() }, { status: 201, headers: { 'cache-control': 'no-store' } });
});
