// POST /api/auth/reset/request {login} → 202 whether or not such a user exists.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requestReset } from '$lib/server/accounts/password';
import { clientOf } from '$lib/server/accounts/http';
import { localeOfRequest } from '$lib/i18n/locale';
import { loginSchema } from '$lib/server/accounts/schemas';

const Body = z.object({ login: loginSchema });

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	const body = await readBody(event, Body);
	await requestReset(rt, { login: body.login, client: clientOf(event), locale: localeOfRequest(event) });
	return json({ accepted: true }, { status: 202 });
});
