// POST /api/auth/reset/confirm {token, password} → 204; every session of the user ends (rate limited per address).
import { z } from 'zod';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { confirmReset } from '$lib/server/accounts/password';
import { newPasswordSchema, tokenSchema } from '$lib/server/accounts/schemas';
import { clientOf } from '$lib/server/accounts/http';

const Body = z.object({ token: tokenSchema, password: newPasswordSchema });

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	const body = await readBody(event, Body);
	await confirmReset(rt, { ...body, client: clientOf(event) });
	return new Response(null, { status: 204 });
});
