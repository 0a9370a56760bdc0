// POST /api/auth/login {username, password} → {user}, or {twoFactorRequired: true} with a half session.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { apiHandler, readJson } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { publicUser } from '$lib/server/auth/types';
import { passwordSchema } from '$lib/server/accounts/schemas';
import { signIn } from '$lib/server/accounts/sign-in';
import { clientOf, startSession } from '$lib/server/accounts/http';

/** `username` also accepts the account's e-mail address. */
const Body = z.object({ username: z.string().trim().min(1, 'is required').max(254, 'is too long'), password: passwordSchema });

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	const body = await readJson(event.request, Body, rt.config.limits.jsonBodyMaxBytes);
	const result = await signIn(rt, {
		login: body.username,
		password: body.password,
		client: clientOf(event),
		previousSessionId: event.locals.session?.id ?? null
	});
	startSession(event, rt.config, result);
	return json(result.twoFactorRequired ? { twoFactorRequired: true } : { user: publicUser(result.user) });
});
