// DELETE /api/admin/invites/:id → 204: the invite link stops working.
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { adminDeleteInvite } from '$lib/server/admin/links';
import { pathId } from '$lib/server/conversations/context';

export const DELETE = apiHandler(async (event) => {
	const { user } = requireAdmin(event);
	await adminDeleteInvite(runtimeOf(event), user, pathId(event.params.id, 'invite'));
	return new Response(null, { status: 204 });
});
