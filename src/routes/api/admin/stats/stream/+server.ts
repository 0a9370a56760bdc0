// GET /api/admin/stats/stream → text/event-stream: `event: stats` with the stats JSON every few seconds.
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { statsStream } from '$lib/server/admin/stream';

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	return statsStream(runtimeOf(event), event.request.signal);
});
