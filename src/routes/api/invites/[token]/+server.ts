// GET /api/invites/:token → {conversation: {id, kind, title, description, avatarUrl, memberCount}} (a preview);
// POST → 201 {conversation}: joined (member of a group, subscriber of a channel); 200 when already a member.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { acceptInvite, previewInvite } from '$lib/server/conversations/invites';

export const GET = apiHandler(async (event) => {
	requireUser(event);
	return json({ conversation: await previewInvite(runtimeOf(event), event.params.token ?? '') });
});

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const { conversation, created } = await acceptInvite(runtimeOf(event), user.id, event.params.token ?? '');
	return json({ conversation }, { status: created ? 201 : 200 });
});
