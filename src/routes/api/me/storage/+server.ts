// GET /api/me/storage → {storage: {usedBytes, quotaBytes}}: my uploads' bytes against my quota (quotaBytes null: none). docs/uploads.md.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { storageOf } from '$lib/server/uploads/quota';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	return json({ storage: await storageOf(rt.db, rt.config.limits, user.id) }, { headers: { 'cache-control': 'no-store' } });
});
