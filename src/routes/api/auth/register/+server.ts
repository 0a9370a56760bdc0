// POST /api/auth/register {username, password, displayName?, email?, invite?} → 201 {user} and a session.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { publicUser } from '$lib/server/auth/types';
import { displayNameSchema, emailSchema, newPasswordSchema, tokenSchema, usernameSchema } from '$lib/server/accounts/schemas';
import { register } from '$lib/server/accounts/register';
import { clientOf, startSession } from '$lib/server/accounts/http';

const Body = z.object({
	username: usernameSchema,
	password: newPasswordSchema,
	displayName: displayNameSchema.optional(),
	email: emailSchema.optional(),
	invite: tokenSchema.optional()
});

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	const body = await readBody(event, Body);
	const created = await register(rt, { ...body, client: clientOf(event) });
	startSession(event, rt.config, created);
	return json({ user: publicUser(created.user) }, { status: 201 });
});
