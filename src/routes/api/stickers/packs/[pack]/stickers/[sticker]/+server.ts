// DELETE /api/stickers/packs/:pack/stickers/:sticker → 204 (owner).
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { removeSticker } from '$lib/server/stickers/service';
import { packParam, stickerParam } from '$lib/server/stickers/schemas';

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await removeSticker(runtimeOf(event), user.id, packParam(event.params.pack), stickerParam(event.params.sticker));
	return new Response(null, { status: 204 });
});
