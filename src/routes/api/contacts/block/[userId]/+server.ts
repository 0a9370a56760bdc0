// DELETE /api/contacts/block/:userId → 204: unblocked.
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { unblockUser } from '$lib/server/contacts/service';

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await unblockUser(runtimeOf(event), user.id, pathId(event.params.userId, 'user'));
	return new Response(null, { status: 204 });
});
