// GET /api/uploads/:id/thumb → an image's thumbnail (WebP), to members of its conversation.
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { serveUpload } from '$lib/server/uploads/serve';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return serveUpload(runtimeOf(event), user.id, pathId(event.params.id, 'upload'), 'thumb', event.request);
});
