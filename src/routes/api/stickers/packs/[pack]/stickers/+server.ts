// POST /api/stickers/packs/:pack/stickers (multipart `file`, `name`, `emoji?`) → 201 {sticker} (owner). docs/stickers.md.
import { json } from '@sveltejs/kit';
import { apiHandler } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';
import { refusedUnread } from '$lib/server/uploads/service';
import { addSticker } from '$lib/server/stickers/service';
import { packParam } from '$lib/server/stickers/schemas';

export const POST = apiHandler(async (event) => {
	try {
		const { user } = requireUser(event);
		const rt = runtimeOf(event);
		await enforceRate(rt.rateLimiter, `sticker:${user.id}`, rateRules(rt.config.limits).stickerCreate);
		return json({ sticker: await addSticker(rt, user.id, packParam(event.params.pack), event.request) }, { status: 201 });
	} catch (error) {
		// Refused before the body was read (signed out, rate, not the owner): answered at once, never
		// after reading it; refusedUnread reads it away meanwhile without keeping it.
		throw refusedUnread(event.request, error);
	}
});
