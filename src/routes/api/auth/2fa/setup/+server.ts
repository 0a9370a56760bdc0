// POST /api/auth/2fa/setup → {secret, uri}: the only answer that ever carries the TOTP secret.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { startTotpSetup } from '$lib/server/auth/two-factor';

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const setup = await startTotpSetup(rt.db, { userId: user.id, username: user.username, now: rt.now() });
	return json(setup, { headers: { 'cache-control': 'no-store' } });
});
