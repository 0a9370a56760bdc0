// GET /api/stickers/packs → {packs}: built-in, own, added. POST {title} → 201 {pack}. docs/stickers.md.
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';
import { createPack, listPacks } from '$lib/server/stickers/service';
import { createPackSchema } from '$lib/server/stickers/schemas';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ packs: await listPacks(runtimeOf(event), user.id) });
});

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const { title } = await readBody(event, createPackSchema(rt.config.limits));
	await enforceRate(rt.rateLimiter, `sticker:${user.id}`, rateRules(rt.config.limits).stickerCreate);
	return json({ pack: await createPack(rt, user.id, title) }, { status: 201 });
});
