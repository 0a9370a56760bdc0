// A private read position (for people with read receipts off): `{messageId}` → 204. It only
// moves forward; it updates the caller's unread count and nobody else sees it.
import { z } from 'zod';
import { apiHandler, ApiError, readBody, fieldError } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { markRead } from '$lib/server/inbox/read-markers';
import { pathId } from '$lib/server/conversations/context';
import { textSchema } from '$lib/text';

const bodySchema = z.object({ messageId: textSchema({ max: 64, min: 1 }) });
const MEMBER = `select 1 from conversation_members where conversation_id = $1 and user_id = $2`;

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const { messageId } = await readBody(event, bodySchema);
	const id = pathId(event.params.id);
	if ((await runtime.db.query(MEMBER, [id, user.id])).length === 0) throw new ApiError(404, 'not_found', 'No such conversation');
	const result = await markRead(runtime.db, id, user.id, messageId);
	if (result === 'unknown') throw fieldError('messageId', 'no such message in this conversation');
	if (result === 'moved') {
		runtime.inbox.membersChanged(id, [user.id]);
		// closes this conversation's notification on the caller's other devices (docs/notifications.md)
		runtime.push.read(user.id, id);
	}
	return new Response(null, { status: 204 });
});
