// GET /api/push/key → {publicKey}: the server's VAPID public key (base64url), the same on every instance (SPEC §9).
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';

export const GET = apiHandler(async (event) => {
	requireUser(event);
	return json({ publicKey: runtimeOf(event).push.publicKey });
});
