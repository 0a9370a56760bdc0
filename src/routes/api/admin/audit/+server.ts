// GET /api/admin/audit?before=<id> → {entries: [{id, at, adminId, adminUsername, action, target, detail}]} newest first.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { auditPage } from '$lib/server/admin/audit';

export const GET = apiHandler(async (event) => {
	requireAdmin(event);
	const rt = runtimeOf(event);
	const before = event.url.searchParams.get('before');
	const entries = await auditPage(rt.db, {
		before: before && /^\d{1,18}$/.test(before) ? before : undefined,
		limit: rt.config.limits.adminAuditPageMax
	});
	return json({ entries }, { headers: { 'cache-control': 'no-store' } });
});
