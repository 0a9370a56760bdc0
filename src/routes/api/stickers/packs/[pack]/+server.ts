// GET /api/stickers/packs/:pack → {pack} (any signed-in person: the preview before adding it); DELETE → 204 (owner).
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { deletePack, viewPack } from '$lib/server/stickers/service';
import { packParam } from '$lib/server/stickers/schemas';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ pack: await viewPack(runtimeOf(event), user.id, packParam(event.params.pack)) });
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await deletePack(runtimeOf(event), user.id, packParam(event.params.pack));
	return new Response(null, { status: 204 });
});
