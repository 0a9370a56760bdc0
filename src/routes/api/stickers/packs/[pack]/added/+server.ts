// PUT /api/stickers/packs/:pack/added → 200 {pack}: into my picker; DELETE → 204: out of it.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { addPackToMine, removePackFromMine } from '$lib/server/stickers/service';
import { packParam } from '$lib/server/stickers/schemas';

export const PUT = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ pack: await addPackToMine(runtimeOf(event), user.id, packParam(event.params.pack)) });
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await removePackFromMine(runtimeOf(event), user.id, packParam(event.params.pack));
	return new Response(null, { status: 204 });
});
