// POST /api/admin/demo → 201 {accounts, conversations}: `npm run demo` only (the control token of
// DATA_DIR/.parley-control.json); no browser session may add accounts with weak passwords.
import { json } from '@sveltejs/kit';
import { ApiError, apiHandler } from '$lib/server/http-errors';
import { runtimeOf } from '$lib/server/runtime';
import { isControlBearer } from '$lib/server/admin/control';
import { seedDemo } from '$lib/server/admin/demo';

export const POST = apiHandler(async (event) => {
	const rt = runtimeOf(event);
	if (!isControlBearer(event.request.headers.get('authorization'), rt.controlToken))
		throw new ApiError(
			event.locals.user ? 403 : 401,
			event.locals.user ? 'forbidden' : 'unauthenticated',
			'Demo data is added by `npm run demo` on the server machine only'
		);
	return json(await seedDemo(rt), { status: 201 });
});
