// Reset-password page behind a mailed or admin-issued link (`?token=`).
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { fieldError } from '$lib/server/http-errors';
import { confirmReset } from '$lib/server/accounts/password';
import { resetTokenIsValid } from '$lib/server/accounts/reset';
import { newPasswordSchema, tokenSchema } from '$lib/server/accounts/schemas';
import { readForm, runAction } from '$lib/server/accounts/forms';
import { clientOf } from '$lib/server/accounts/http';

const Form = z.object({ password: newPasswordSchema });

export const load: PageServerLoad = async (event) => {
	const rt = runtimeOf(event);
	const token = event.url.searchParams.get('token') ?? '';
	const valid = tokenSchema.safeParse(token).success && (await resetTokenIsValid(rt.db, token, rt.now()));
	// The token stays in the address bar (the form posts back to it); the page never repeats it.
	return { valid };
};

export const actions: Actions = {
	default: (event) =>
		runAction(async () => {
			const { data } = await readForm(event, Form);
			const token = tokenSchema.safeParse(event.url.searchParams.get('token'));
			if (!token.success) throw fieldError('token', 'missing or malformed', 'invalid_token');
			await confirmReset(runtimeOf(event), { token: token.data, password: data.password, client: clientOf(event) });
			return { done: true };
		})
};
