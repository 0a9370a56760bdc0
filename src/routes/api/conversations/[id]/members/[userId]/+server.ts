// Remove a member (owner/admin, or oneself); their sockets close at once (SPEC §3).
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { removeConversationMember } from '$lib/server/conversations/service';

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await removeConversationMember(runtimeOf(event), user.id, event.params.id!, event.params.userId!);
	return new Response(null, { status: 204 });
});
