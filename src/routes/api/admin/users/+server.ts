// GET /api/admin/users → {users: [{id, username, displayName, role, twoFactorEnabled, hasEmail, createdAt}]}.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { listUsers } from '$lib/server/accounts/users';
import { adminUserView } from '$lib/server/accounts/views';

/** Most accounts one listing returns. */
const ADMIN_LIST_MAX = 1000;

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	return json({ users: (await listUsers(runtimeOf(event).db, ADMIN_LIST_MAX)).map(adminUserView) });
});
