// DELETE /api/admin/messages/:docName/:id → 204: removed by the server through the relay, on every device.
import { apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireAdmin } from '$lib/server/auth/guard';
import { removeMessage } from '$lib/server/admin/messages';

export const DELETE = apiHandler(async (event) => {
	const { user } = requireAdmin(event);
	await removeMessage(runtimeOf(event), user, event.params.docName ?? '', event.params.id ?? '');
	return new Response(null, { status: 204 });
});
