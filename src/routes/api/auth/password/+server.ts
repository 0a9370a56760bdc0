// POST /api/auth/password {currentPassword, newPassword} → 204; every other session ends.
import { z } from 'zod';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { changePassword } from '$lib/server/accounts/password';
import { newPasswordSchema, passwordSchema } from '$lib/server/accounts/schemas';

const Body = z.object({ currentPassword: passwordSchema, newPassword: newPasswordSchema });

export const POST = apiHandler(async (event) => {
	const { user, session } = requireUser(event);
	const rt = runtimeOf(event);
	const body = await readBody(event, Body);
	await changePassword(rt, { userId: user.id, username: user.username, session, ...body });
	return new Response(null, { status: 204 });
});
