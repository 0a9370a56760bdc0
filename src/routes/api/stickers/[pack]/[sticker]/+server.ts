// GET /api/stickers/:pack/:sticker → the WebP, to any signed-in person (inert, immutable). docs/stickers.md.
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { serveSticker } from '$lib/server/stickers/serve';
import { packParam, stickerParam } from '$lib/server/stickers/schemas';

export const GET = apiHandler(async (event) => {
	requireUser(event);
	return serveSticker(runtimeOf(event), packParam(event.params.pack), stickerParam(event.params.sticker), event.request);
});
