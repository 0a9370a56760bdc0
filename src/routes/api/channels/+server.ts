// GET /api/channels?q= → {channels: [{id, title, description, avatarUrl, memberCount, joined}]}: public channels.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { ApiError, apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { searchChannels } from '$lib/server/conversations/channels';

/** Longest search text. */
const QUERY_MAX = 64;
const Query = z.string().trim().max(QUERY_MAX, `must be at most ${QUERY_MAX} characters`);

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const q = Query.safeParse(event.url.searchParams.get('q') ?? '');
	if (!q.success) throw new ApiError(400, 'invalid_input', `q: ${q.error.issues[0]?.message ?? 'invalid'}`);
	const channels = await searchChannels(runtime.db, { me: user.id, query: q.data, limit: runtime.config.limits.channelSearchMaxResults });
	return json({ channels });
});
