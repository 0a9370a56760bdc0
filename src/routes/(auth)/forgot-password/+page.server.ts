// Forgot-password page: asks for a reset mail; always the same answer (no account enumeration).
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { requestReset } from '$lib/server/accounts/password';
import { clientOf } from '$lib/server/accounts/http';
import { readForm, runAction } from '$lib/server/accounts/forms';
import { loginSchema } from '$lib/server/accounts/schemas';

const Form = z.object({ login: loginSchema });

export const load: PageServerLoad = (event) => ({ mailEnabled: runtimeOf(event).mailer !== null });

export const actions: Actions = {
	default: (event) =>
		runAction(async () => {
			const { data } = await readForm(event, Form);
			await requestReset(runtimeOf(event), { login: data.login, client: clientOf(event), locale: event.locals.locale });
			return { sent: true };
		})
};
