// DELETE /api/conversations/:id/invites/:inviteId → 204: the link no longer lets anyone in (owner/admin).
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { revokeInvite } from '$lib/server/conversations/invites';

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await revokeInvite(runtimeOf(event), user.id, pathId(event.params.id), pathId(event.params.inviteId, 'invite'));
	return new Response(null, { status: 204 });
});
