// POST /api/conversations {kind: direct|group|channel, …} → 201 {conversation} (200 for an existing direct one);
// GET → {conversations}: the caller's, pinned first (SPEC §3).
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { createConversationSchema } from '$lib/server/conversations/schemas';
import { startConversation } from '$lib/server/conversations/create';
import { listConversations } from '$lib/server/conversations/views';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const input = await readBody(event, createConversationSchema(runtime.config.limits));
	const rules = rateRules(runtime.config.limits);
	await enforceRate(runtime.rateLimiter, `conversation:create:${user.id}`, rules.conversationCreate);
	if (input.kind !== 'direct') await enforceRate(runtime.rateLimiter, `conversation:group:${user.id}`, rules.groupCreate);
	const { conversation, created } = await startConversation(runtime, user.id, input);
	return json({ conversation }, { status: created ? 201 : 200 });
});

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ conversations: await listConversations(runtimeOf(event).db, user.id) });
});
