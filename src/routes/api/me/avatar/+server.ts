// PUT /api/me/avatar (multipart `file`, or the image bytes as the body) → {user}; DELETE → 204.
import { json } from '@sveltejs/kit';
import { apiHandler, fieldError } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { publicUser } from '$lib/server/auth/types';
import { removeAvatar, saveAvatar, toAvatarWebp } from '$lib/server/accounts/avatars';
import { readUpload } from '$lib/server/accounts/upload';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';

export const PUT = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const bytes = await readUpload(event.request, rt.config.limits.avatarMaxBytes);
	if (!bytes) throw fieldError('file', 'attach an image');
	await enforceRate(rt.rateLimiter, `avatar:${user.id}`, rateRules(rt.config.limits).avatar);
	const webp = await toAvatarWebp(bytes, rt.config.limits, rt.imageWork, user.id);
	const avatarUrl = await saveAvatar(rt.db, { userId: user.id, webp, now: rt.now() });
	return json({ user: publicUser({ ...user, avatarUrl }) });
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await removeAvatar(runtimeOf(event).db, user.id);
	return new Response(null, { status: 204 });
});
