// POST /api/auth/reset/confirm {token, password} → 204; every session of the user ends.
import { z } from 'zod';
import { apiHandler, readJson } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { confirmReset } from '$lib/server/accounts/password';
import { newPasswordSchema, tokenSchema } from '$lib/server/accounts/schemas';

const Body = z.object({ token: tokenSchema, password: newPasswordSchema });

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	const body = await readJson(event.request, Body, rt.config.limits.jsonBodyMaxBytes);
	await confirmReset(rt, body);
	return new Response(null, { status: 204 });
});
