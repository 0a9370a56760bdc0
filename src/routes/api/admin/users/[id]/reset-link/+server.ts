// POST /api/admin/users/:id/reset-link {password?} → 201 {url, expiresAt}: a one-time link the admin
// hands over (audited; for one's own account `password` is needed).
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { adminResetLink } from '$lib/server/admin/links';
import { resetLinkSchema } from '$lib/server/admin/schemas';
import { pathId } from '$lib/server/conversations/context';

export const POST = apiHandler(async (event) => {
	const { user: admin } = requireAdmin(event);
	const rt = runtimeOf(event);
	const id = pathId(event.params.id, 'user');
	// No body (the usual call for someone else's account) is an empty one.
	const body = event.request.headers.get('content-type') ? await readBody(event, resetLinkSchema) : {};
	const link = await adminResetLink(rt, admin, id, body.password);
	return json({ url: link.url, expiresAt: link.expiresAt.toISOString() }, { status: 201, headers: { 'cache-control': 'no-store' } });
});
