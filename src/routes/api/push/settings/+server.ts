// GET /api/push/settings → {settings}; PATCH {preview?, mentionsInMuted?, reactions?} → {settings} (docs/notifications.md).
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { changeSettings, readSettings, settingsPatchSchema } from '$lib/server/push/subscribe';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ settings: await readSettings(runtimeOf(event), user.id) });
});

export const PATCH = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const patch = await readBody(event, settingsPatchSchema);
	return json({ settings: await changeSettings(rt, user.id, patch) });
});
