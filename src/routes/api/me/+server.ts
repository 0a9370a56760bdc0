// The caller: who they are and the name of their inbox document (SPEC §3, §4).
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { publicUser } from '$lib/server/auth/types';
import { inboxDocName } from '$lib/server/doc-names';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ user: publicUser(user), inboxDocName: inboxDocName(user.id) });
});
