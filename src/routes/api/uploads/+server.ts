// POST /api/uploads (multipart: `file`, `conversationId`) → 201 {upload}. docs/uploads.md.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { createUpload, discardBody } from '$lib/server/uploads/service';

export const POST = apiHandler(async (event) => {
	// Refused before the body is read: read it away first, or the answer is lost with the connection.
	if (!event.locals.user) await discardBody(event.request);
	const { user } = requireUser(event);
	return json({ upload: await createUpload(runtimeOf(event), user.id, event.request) }, { status: 201 });
});
