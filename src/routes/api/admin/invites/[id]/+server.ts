// DELETE /api/admin/invites/:id → 204: the invite link stops working.
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { deleteInvite } from '$lib/server/accounts/invites';

export const DELETE = apiHandler(async (event) => {
	requireAdmin(event);
	await deleteInvite(runtimeOf(event).db, event.params.id ?? '');
	return new Response(null, { status: 204 });
});
