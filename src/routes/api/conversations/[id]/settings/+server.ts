// PATCH /api/conversations/:id/settings {muted?, pinned?, archived?} → {settings}: the caller's own flags.
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { settingsSchema } from '$lib/server/conversations/schemas';
import { changeSettings } from '$lib/server/conversations/manage';

export const PATCH = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const id = pathId(event.params.id);
	const patch = await readBody(event, settingsSchema);
	return json({ settings: await changeSettings(runtime, user.id, id, patch) });
});
