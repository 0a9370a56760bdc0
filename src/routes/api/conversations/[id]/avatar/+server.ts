// PUT /api/conversations/:id/avatar (multipart `file`, or the image bytes) → {avatarUrl}; DELETE → 204 (owner/admin).
import { json } from '@sveltejs/kit';
import { apiHandler, fieldError } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { readUpload } from '$lib/server/accounts/upload';
import { pathId } from '$lib/server/conversations/context';
import { setConversationAvatar } from '$lib/server/conversations/avatar';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';

export const PUT = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const id = pathId(event.params.id);
	const bytes = await readUpload(event.request, runtime.config.limits.avatarMaxBytes);
	if (!bytes) throw fieldError('file', 'attach an image');
	await enforceRate(runtime.rateLimiter, `avatar:${user.id}`, rateRules(runtime.config.limits).avatar);
	return json({ avatarUrl: await setConversationAvatar(runtime, user.id, id, bytes) });
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await setConversationAvatar(runtimeOf(event), user.id, pathId(event.params.id), null);
	return new Response(null, { status: 204 });
});
