// GET /api/contacts/block → {blocked: [{user, blockedAt}]}; POST {userId} → 201 (204 when already blocked).
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { blockSchema } from '$lib/server/contacts/schemas';
import { blockUser } from '$lib/server/contacts/service';
import { listBlocked } from '$lib/server/contacts/store';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ blocked: await listBlocked(runtimeOf(event).db, user.id) });
});

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const { userId } = await readBody(event, blockSchema);
	const { created } = await blockUser(runtime, user.id, userId);
	return new Response(null, { status: created ? 201 : 204 });
});
