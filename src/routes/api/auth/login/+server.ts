// POST /api/auth/login {username, password} → {user}, or {twoFactorRequired: true} with a half session.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { publicUser } from '$lib/server/auth/types';
import { loginSchema, passwordSchema } from '$lib/server/accounts/schemas';
import { signIn } from '$lib/server/accounts/sign-in';
import { clientOf, startSession } from '$lib/server/accounts/http';

/** `username` also accepts the account's e-mail address. */
const Body = z.object({ username: loginSchema, password: passwordSchema });

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	const body = await readBody(event, Body);
	const result = await signIn(rt, {
		login: body.username,
		password: body.password,
		client: clientOf(event),
		previousSessionId: event.locals.session?.id ?? null
	});
	startSession(event, rt.config, result);
	return json(result.twoFactorRequired ? { twoFactorRequired: true } : { user: publicUser(result.user) });
});
