// DELETE /api/admin/invites/:id → 204: the invite link stops working.
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { deleteInvite } from '$lib/server/accounts/invites';
import { pathId } from '$lib/server/conversations/context';

export const DELETE = apiHandler(async (event) => {
	requireAdmin(event);
	await deleteInvite(runtimeOf(event).db, pathId(event.params.id, 'invite'));
	return new Response(null, { status: 204 });
});
