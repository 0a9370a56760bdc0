// GET /api/conversations/:id/members?limit&offset → {members: [{user, role, joinedAt}]} (channel
// subscribers see only the owner and admins); POST {userId, role?} → 201 {member} (owner/admin).
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { apiHandler, invalidInput, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { addMemberSchema } from '$lib/server/conversations/schemas';
import { addConversationMember, conversationMembers } from '$lib/server/conversations/members';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const max = runtime.config.limits.conversationMembersPageMax;
	const page = z
		.object({ limit: z.coerce.number().int().min(1).max(max).default(max), offset: z.coerce.number().int().min(0).default(0) })
		.safeParse(Object.fromEntries(event.url.searchParams));
	if (!page.success) throw invalidInput(page.error, 'query');
	return json({ members: await conversationMembers(runtime, user.id, pathId(event.params.id), page.data) });
});

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const id = pathId(event.params.id);
	const input = await readBody(event, addMemberSchema);
	await enforceRate(runtime.rateLimiter, `conversation:add:${user.id}`, rateRules(runtime.config.limits).memberAdd);
	return json({ member: await addConversationMember(runtime, user.id, id, input) }, { status: 201 });
});
