// GET /api/admin/backups → {backups: [{id, name, size, createdAt}]} (newest first);
// POST → 201 {backup}: a new archive of the database and the uploads in DATA_DIR/backups.
// POST also accepts the control token of DATA_DIR/.parley-control.json (`npm run backup`).
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { createBackup } from '$lib/server/admin/backups';
import { isControlBearer } from '$lib/server/admin/control';

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	return json({ backups: await runtimeOf(event).backups.list() }, { headers: { 'cache-control': 'no-store' } });
});

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	const cli = isControlBearer(event.request.headers.get('authorization'), rt.controlToken);
	const admin = cli ? { id: null, username: 'npm run backup' } : requireAdmin(event).user;
	return json({ backup: await createBackup(rt, admin) }, { status: 201 });
});
