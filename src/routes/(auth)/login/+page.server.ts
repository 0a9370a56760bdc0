// Sign-in page: username (or e-mail) and password; on to the second factor when it is on.
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { loginSchema, passwordSchema } from '$lib/server/accounts/schemas';
import { signIn } from '$lib/server/accounts/sign-in';
import { clientOf, startSession } from '$lib/server/accounts/http';
import { readForm, runAction } from '$lib/server/accounts/forms';
import { TWO_FACTOR_PATH } from '$lib/server/accounts/pages';
import { safeNextPath } from '$lib/shared/links';

const Form = z.object({ username: loginSchema, password: passwordSchema });

/** Where to go once signed in: `?next=` when it is a path of this site (an invite link), else the app. */
const afterSignIn = (url: URL) => safeNextPath(url.searchParams.get('next')) ?? '/';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, afterSignIn(url));
	if (locals.session?.twoFactorPending) redirect(303, TWO_FACTOR_PATH);
};

export const actions: Actions = {
	default: async (event) => {
		let twoFactor = false;
		const failed = await runAction(async () => {
			const { data } = await readForm(event, Form);
			const rt = runtimeOf(event);
			const result = await signIn(rt, {
				login: data.username,
				password: data.password,
				client: clientOf(event),
				previousSessionId: event.locals.session?.id ?? null
			});
			startSession(event, rt.config, result);
			twoFactor = result.twoFactorRequired;
		});
		if (failed) return failed;
		redirect(303, twoFactor ? TWO_FACTOR_PATH : afterSignIn(event.url));
	}
};
