// POST /api/auth/2fa/disable {password} → 204: two-factor off, recovery codes dropped.
import { z } from 'zod';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { disableTotp } from '$lib/server/auth/two-factor';
import { checkCurrentPassword } from '$lib/server/accounts/password';
import { passwordSchema } from '$lib/server/accounts/schemas';

const Body = z.object({ password: passwordSchema });

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const body = await readBody(event, Body);
	await checkCurrentPassword(rt, user.id, body.password, 'password');
	await disableTotp(rt.db, user.id);
	rt.log.info({ userId: user.id }, 'two-factor disabled');
	return new Response(null, { status: 204 });
});
