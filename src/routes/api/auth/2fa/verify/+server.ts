// POST /api/auth/2fa/verify {code} → {user}: the one call a half-signed-in session may make.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { ApiError, apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { publicUser } from '$lib/server/auth/types';
import { codeSchema } from '$lib/server/accounts/schemas';
import { completeSignIn } from '$lib/server/accounts/sign-in';
import { clientOf, startSession } from '$lib/server/accounts/http';

const Body = z.object({ code: codeSchema });

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	const session = event.locals.session;
	if (!session) throw new ApiError(401, 'unauthenticated', 'Sign in with your password first');
	const body = await readBody(event, Body);
	const result = await completeSignIn(rt, { session, code: body.code, client: clientOf(event) });
	startSession(event, rt.config, result);
	return json({ user: publicUser(result.user) });
});
