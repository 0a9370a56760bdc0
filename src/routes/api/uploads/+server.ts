// POST /api/uploads (multipart: `file`, `conversationId`) → 201 {upload}. docs/uploads.md.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { createUpload, refusedUnread } from '$lib/server/uploads/service';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';

export const POST = apiHandler(async (event) => {
	try {
		const { user } = requireUser(event);
		const rt = runtimeOf(event);
		// Per user, before the body is read.
		await enforceRate(rt.rateLimiter, `upload:${user.id}`, rateRules(rt.config.limits).upload);
		return json({ upload: await createUpload(rt, user.id, event.request) }, { status: 201 });
	} catch (error) {
		// Refused before the body was read (signed out, rate, quota, disk): answered at once.
		throw refusedUnread(event.request, error);
	}
});
