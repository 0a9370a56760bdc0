// GET → {devices}: my subscribed devices. POST PushSubscription.toJSON() → 201 (200 if this endpoint
// was already mine); 400 naming the field. DELETE {endpoint} → 204 (SPEC §9, docs/notifications.md).
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { subscribe, subscriptionSchema, unsubscribeSchema } from '$lib/server/push/subscribe';
import { listDevices, removeSubscriptionByEndpoint } from '$lib/server/push/store';

export const GET = apiHandler(async (event) => {
	const { user, session } = requireUser(event);
	return json({ devices: await listDevices(runtimeOf(event).db, user.id, session.id) });
});

export const POST = apiHandler(async (event) => {
	const { user, session } = requireUser(event);
	const rt = runtimeOf(event);
	const body = await readBody(event, subscriptionSchema);
	const outcome = await subscribe(rt, { userId: user.id, sessionId: session.id }, body);
	return new Response(null, { status: outcome === 'created' ? 201 : 200 });
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const { endpoint } = await readBody(event, unsubscribeSchema);
	await removeSubscriptionByEndpoint(rt.db, user.id, endpoint);
	return new Response(null, { status: 204 });
});
