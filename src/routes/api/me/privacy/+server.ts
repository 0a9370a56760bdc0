// GET /api/me/privacy → {privacy}; PATCH /api/me/privacy {allowConversationsFrom?, lastSeenVisibleTo?, readReceipts?, findableBy?} → {privacy}.
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { getPrivacy, privacyPatchSchema } from '$lib/server/accounts/privacy';
import { changePrivacy } from '$lib/server/accounts/privacy-change';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ privacy: await getPrivacy(runtimeOf(event).db, user.id) });
});

export const PATCH = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const patch = await readBody(event, privacyPatchSchema);
	return json({ privacy: await changePrivacy(rt, user.id, patch) });
});
