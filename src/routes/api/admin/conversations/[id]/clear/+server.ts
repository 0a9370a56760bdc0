// POST /api/admin/conversations/:id/clear {confirm: "CLEAR"} → {removed}: every message of it, on every device.
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { clearConversation } from '$lib/server/admin/messages';
import { confirmSchema } from '$lib/server/admin/schemas';

export const POST = apiHandler(async (event) => {
	const { user } = requireAdmin(event);
	const rt = runtimeOf(event);
	const { confirm } = await readBody(event, confirmSchema);
	return json({ removed: await clearConversation(rt, user, event.params.id ?? '', confirm) });
});
