// Second step of sign-in: a TOTP or recovery code completes a half-signed-in session.
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { codeSchema } from '$lib/server/accounts/schemas';
import { completeSignIn } from '$lib/server/accounts/sign-in';
import { clientOf, startSession } from '$lib/server/accounts/http';
import { readForm, runAction } from '$lib/server/accounts/forms';
import { SIGN_IN_PATH } from '$lib/server/accounts/pages';

const Form = z.object({ code: codeSchema });

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/');
	if (!locals.session?.twoFactorPending) redirect(303, SIGN_IN_PATH);
};

export const actions: Actions = {
	default: async (event) => {
		const session = event.locals.session;
		if (!session?.twoFactorPending) redirect(303, SIGN_IN_PATH);
		const failed = await runAction(async () => {
			const { data } = await readForm(event, Form);
			const rt = runtimeOf(event);
			startSession(event, rt.config, await completeSignIn(rt, { session, code: data.code, client: clientOf(event) }));
		});
		if (failed) return failed;
		redirect(303, '/');
	}
};
