// GET /api/admin/messages?before=ISO → {messages: [RecentMessage]} newest first, for moderation.
import { json } from '@sveltejs/kit';
import { ApiError, apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { recentMessages } from '$lib/server/admin/messages';

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	const rt = runtimeOf(event);
	const before = event.url.searchParams.get('before') ?? undefined;
	if (before !== undefined && Number.isNaN(Date.parse(before))) throw new ApiError(400, 'invalid_input', 'before: must be an ISO time');
	return json({ messages: await recentMessages(rt.db, { before, limit: rt.config.limits.adminMessagesPageMax }) }, { headers: { 'cache-control': 'no-store' } });
});
