// PATCH /api/conversations/:id/members/:userId {role} → {member} (role "owner" hands the
// conversation over); DELETE → 204: remove (owner/admin) or, for oneself, leave (SPEC §3).
import { json } from '@sveltejs/kit';
import { ApiError, apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { setRoleSchema } from '$lib/server/conversations/schemas';
import { removeConversationMember, setMemberRole } from '$lib/server/conversations/members';

const memberId = (raw: string | undefined) => {
	try {
		return pathId(raw);
	} catch {
		throw new ApiError(404, 'not_found', 'That user is not a member');
	}
};

export const PATCH = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const [id, userId] = [pathId(event.params.id), memberId(event.params.userId)];
	const { role } = await readBody(event, setRoleSchema);
	return json({ member: await setMemberRole(runtime, user.id, id, userId, role) });
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await removeConversationMember(runtimeOf(event), user.id, pathId(event.params.id), memberId(event.params.userId));
	return new Response(null, { status: 204 });
});
