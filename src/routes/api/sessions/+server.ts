// GET /api/sessions → {sessions: [{id, current, createdAt, lastSeenAt, userAgent}]}.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { listSessions } from '$lib/server/auth/session-list';

export const GET = apiHandler(async (event) => {
	const { user, session } = requireUser(event);
	const rt = runtimeOf(event);
	return json({ sessions: await listSessions(rt.db, { userId: user.id, currentId: session.id, now: rt.now() }) });
});
