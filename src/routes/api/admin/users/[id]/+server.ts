// GET /api/admin/users/:id → {user}; PATCH {disabled?, role?, twoFactorEnabled: false?, password?} → {user}
// (`password`: the admin's own, needed to turn off their own 2FA);
// DELETE → 204 (see src/lib/server/admin/users.ts for what happens to the person's messages).
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { accountOf, deleteAccount, setDisabled, setRole } from '$lib/server/admin/users';
import { adminTwoFactorOff } from '$lib/server/admin/links';
import { accountPatchSchema } from '$lib/server/admin/schemas';

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	return json({ user: await accountOf(runtimeOf(event).db, event.params.id ?? '') });
});

export const PATCH = apiHandler(async (event) => {
	const { user: admin } = requireAdmin(event);
	const rt = runtimeOf(event);
	const body = await readBody(event, accountPatchSchema);
	const id = event.params.id ?? '';
	let user = await accountOf(rt.db, id);
	if (body.disabled !== undefined) user = await setDisabled(rt, admin, id, body.disabled);
	if (body.role !== undefined) user = await setRole(rt, admin, id, body.role);
	if (body.twoFactorEnabled === false) user = await adminTwoFactorOff(rt, admin, id, body.password);
	return json({ user });
});

export const DELETE = apiHandler(async (event) => {
	const { user: admin } = requireAdmin(event);
	await deleteAccount(runtimeOf(event), admin, event.params.id ?? '');
	return new Response(null, { status: 204 });
});
