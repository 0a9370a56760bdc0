// Add a member to a conversation (owner/admin only; SPEC §3).
import { json } from '@sveltejs/kit';
import { apiHandler, readJson } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { addMemberSchema } from '$lib/server/conversations/schemas';
import { addConversationMember } from '$lib/server/conversations/service';

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const input = await readJson(event.request, addMemberSchema, runtime.config.limits.jsonBodyMaxBytes);
	await addConversationMember(runtime, user.id, event.params.id!, input);
	return json({ member: { userId: input.userId } }, { status: 201 });
});
