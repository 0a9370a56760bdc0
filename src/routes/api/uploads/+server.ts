// POST /api/uploads (multipart: `file`, `conversationId`) → 201 {upload}. docs/uploads.md.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { createUpload, discardBody } from '$lib/server/uploads/service';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';

export const POST = apiHandler(async (event) => {
	// Refused before the body is read: read it away first, or the answer is lost with the connection.
	if (!event.locals.user) await discardBody(event.request);
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	// Per user, before the body is read (a refused one is read away, as above, so the answer arrives).
	try {
		await enforceRate(rt.rateLimiter, `upload:${user.id}`, rateRules(rt.config.limits).upload);
	} catch (error) {
		await discardBody(event.request);
		throw error;
	}
	return json({ upload: await createUpload(rt, user.id, event.request) }, { status: 201 });
});
