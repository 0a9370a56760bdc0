// GET /api/admin/backups/:id → the archive (download); DELETE → 204.
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { deleteBackup, downloadBackup } from '$lib/server/admin/backups';

export const GET = apiHandler(async (event) => {
	const { user } = requireAdmin(event);
	return downloadBackup(runtimeOf(event), user, event.params.id ?? '');
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireAdmin(event);
	await deleteBackup(runtimeOf(event), user, event.params.id ?? '');
	return new Response(null, { status: 204 });
});
