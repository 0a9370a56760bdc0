// GET /api/admin/stats/stream → text/event-stream: `event: stats` with the stats JSON every few seconds;
// each tick re-checks that the session is live and its user still an enabled admin.
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { statsStream } from '$lib/server/admin/stream';
import { isAdminSessionActive } from '$lib/server/auth/sessions';

export const GET = apiHandler(async (event) => {
	const { session } = requireAdmin(event);
	const rt = runtimeOf(event);
	return statsStream(rt, event.request.signal, () => isAdminSessionActive(rt.db, session.id, rt.now()));
});
