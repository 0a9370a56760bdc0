// GET /api/admin/messages?before=ISO → {messages: [RecentMessage]} newest first, for moderation.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { apiHandler, fieldError } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { recentMessages } from '$lib/server/admin/messages';

const ISO_TIME = z.iso.datetime({ offset: true }).refine((s) => {
	const year = new Date(s).getUTCFullYear();
	return year >= 1 && year <= 9999;
});

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	const rt = runtimeOf(event);
	const before = event.url.searchParams.get('before') ?? undefined;
	// An ISO time PostgreSQL can hold: Date.parse alone takes years it refuses (a 500 otherwise).
	if (before !== undefined && !ISO_TIME.safeParse(before).success) throw fieldError('before', 'must be an ISO time');
	return json({ messages: await recentMessages(rt.db, { before, limit: rt.config.limits.adminMessagesPageMax }) }, { headers: { 'cache-control': 'no-store' } });
});
