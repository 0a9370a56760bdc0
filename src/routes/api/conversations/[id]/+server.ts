// GET /api/conversations/:id → {conversation}; PATCH {title?, description?, public?} → {conversation}
// (owner/admin); DELETE → 204 (owner; either person of a direct conversation).
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { noSuchConversation, pathId } from '$lib/server/conversations/context';
import { editConversationSchema } from '$lib/server/conversations/schemas';
import { editConversation, removeConversation } from '$lib/server/conversations/manage';
import { viewConversation } from '$lib/server/conversations/views';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const conversation = await viewConversation(runtimeOf(event).db, pathId(event.params.id), user.id);
	if (!conversation) throw noSuchConversation();
	return json({ conversation });
});

export const PATCH = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const id = pathId(event.params.id);
	const input = await readBody(event, editConversationSchema(runtime.config.limits));
	return json({ conversation: await editConversation(runtime, user.id, id, input) });
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await removeConversation(runtimeOf(event), user.id, pathId(event.params.id));
	return new Response(null, { status: 204 });
});
