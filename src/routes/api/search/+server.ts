// GET /api/search?q=…[&conversationId&from&before&after&cursor] → {messages, nextCursor} (SPEC §10,
// docs/search.md): messages in conversations the caller belongs to now. Rate limited per user
// (`rateMessageSearchMax`); at most `searchConcurrency` run at once (503 `busy` past the queue).
import { json } from '@sveltejs/kit';
import { ApiError, apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';
import { readSearchParams } from '$lib/server/search/params';
import { searchMessages } from '$lib/server/search/messages';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const params = readSearchParams(event.url.searchParams, rt.config.limits);
	await enforceRate(rt.rateLimiter, `search:messages:${user.id}`, rateRules(rt.config.limits).messageSearch);
	const result = await rt.searchWork.run(() =>
		searchMessages(rt.db, { userId: user.id, ...params }, { limits: rt.config.limits, now: rt.now })
	);
	if (result.busy)
		throw new ApiError(503, 'busy', 'The server is busy searching; try again in a moment', { headers: { 'retry-after': '1' } });
	return json(result.value);
});
