// GET /api/push/unread → {total, muted}: unread messages for the app badge (the service worker has no inbox document).
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { unreadTotals } from '$lib/server/push/unread';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json(await unreadTotals(runtimeOf(event).db, user.id));
});
