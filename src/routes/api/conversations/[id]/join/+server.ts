// POST /api/conversations/:id/join → 201 {conversation} as a subscriber of a public channel
// (200 when already a member; 404 for anything not a public channel).
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { joinPublicChannel } from '$lib/server/conversations/channels';

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const { conversation, created } = await joinPublicChannel(runtimeOf(event), user.id, pathId(event.params.id));
	return json({ conversation }, { status: created ? 201 : 200 });
});
