// DELETE /api/push/subscriptions/:id → 204: turns notifications off for one of my devices (404 if not mine).
import { apiHandler, ApiError } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { removeSubscriptionById } from '$lib/server/push/store';

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const id = pathId(event.params.id, 'subscription');
	// Someone else's subscription answers exactly like a missing one.
	if (!(await removeSubscriptionById(runtimeOf(event).db, user.id, id))) throw new ApiError(404, 'not_found', 'No such device');
	return new Response(null, { status: 204 });
});
