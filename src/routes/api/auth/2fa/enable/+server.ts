// POST /api/auth/2fa/enable {code} → {recoveryCodes}: shown this once, stored only hashed.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { requireUser } from '$lib/server/auth/guard';
import { enableTotp } from '$lib/server/auth/two-factor';
import { codeSchema } from '$lib/server/accounts/schemas';

const Body = z.object({ code: codeSchema });

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const rt = runtimeOf(event);
	const body = await readBody(event, Body);
	const recoveryCodes = await enableTotp(rt.db, { userId: user.id, code: body.code, now: rt.now(), limits: rt.config.limits });
	rt.log.info({ userId: user.id }, 'two-factor enabled');
	return json({ recoveryCodes }, { headers: { 'cache-control': 'no-store' } });
});
