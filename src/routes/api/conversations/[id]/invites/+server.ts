// POST /api/conversations/:id/invites → 201 {invite: {id, token, url, createdAt}} (owner/admin;
// the token is shown once); GET → {invites: [{id, createdBy, createdAt}]}.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { createInvite, listInvites } from '$lib/server/conversations/invites';

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ invite: await createInvite(runtimeOf(event), user.id, pathId(event.params.id)) }, { status: 201 });
});

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ invites: await listInvites(runtimeOf(event), user.id, pathId(event.params.id)) });
});
