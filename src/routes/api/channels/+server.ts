// GET /api/channels?q= → {channels: [{id, title, description, avatarUrl, memberCount, joined}]}: public channels.
// Rate limited per user (`rateChannelSearchMax`).
import { json } from '@sveltejs/kit';
import { apiHandler, readParam } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { searchChannels } from '$lib/server/conversations/channels';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';
import { searchSchema } from '$lib/text';

/** Longest search text. */
const QUERY_MAX = 64;
const Query = searchSchema(QUERY_MAX);

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const q = readParam(event.url.searchParams.get('q') ?? '', Query, 'q');
	await enforceRate(runtime.rateLimiter, `search:channels:${user.id}`, rateRules(runtime.config.limits).channelSearch);
	const channels = await searchChannels(runtime.db, { me: user.id, query: q, limit: runtime.config.limits.channelSearchMaxResults });
	return json({ channels });
});
