// GET /api/conversations/:id/avatar/:avatarId → the WebP, to members (anyone signed in for a public channel).
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { avatarResponse } from '$lib/server/accounts/avatars';
import { pathId } from '$lib/server/conversations/context';
import { readConversationAvatar } from '$lib/server/conversations/avatar';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const bytes = await readConversationAvatar(runtimeOf(event), user.id, pathId(event.params.id), pathId(event.params.avatarId, 'avatar'));
	return avatarResponse(bytes);
});
