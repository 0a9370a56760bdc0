// POST /api/admin/clear {confirm: "CLEAR ALL MESSAGES"} → {removed}: every message of the server.
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { clearServer } from '$lib/server/admin/messages';
import { confirmSchema } from '$lib/server/admin/schemas';

export const POST = apiHandler(async (event) => {
	const { user } = requireAdmin(event);
	const rt = runtimeOf(event);
	const { confirm } = await readBody(event, confirmSchema);
	return json({ removed: await clearServer(rt, user, confirm) });
});
