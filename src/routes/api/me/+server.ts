// GET /api/me → {user, inboxDocName, account}; PATCH /api/me {displayName?, username?, email?} → {user};
// DELETE /api/me {password, code?} → 204: the account is deleted (docs/operations.md, "Deleting accounts").
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { publicUser } from '$lib/server/auth/types';
import { inboxDocName } from '$lib/server/doc-names';
import { getUser, updateProfile } from '$lib/server/accounts/users';
import { displayNameSchema, emailSchema, usernameSchema } from '$lib/server/accounts/schemas';
import { accountView } from '$lib/server/accounts/views';
import { deleteOwnAccount } from '$lib/server/admin/self-delete';
import { deleteSelfSchema } from '$lib/server/admin/schemas';
import { deleteSessionCookie } from '$lib/server/auth/cookies';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const record = await getUser(runtimeOf(event).db, user.id);
	return json({ user: publicUser(user), inboxDocName: inboxDocName(user.id), ...(record ? { account: accountView(record) } : {}) });
});

/** `email: null` removes the address. */
const Patch = z.object({ displayName: displayNameSchema, username: usernameSchema, email: emailSchema.nullable() }).partial().strict();

export const PATCH = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const body = await readBody(event, Patch);
	const updated = await updateProfile(rt.db, user.id, body);
	return json({ user: publicUser(updated), account: accountView(updated) });
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const body = await readBody(event, deleteSelfSchema);
	await deleteOwnAccount(rt, user.id, body);
	deleteSessionCookie(event.cookies, rt.config);
	return new Response(null, { status: 204 });
});
