// Sign-out (a form post from any page): the session ends, its sockets too.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { deleteSessionCookie } from '$lib/server/auth/cookies';
import { signOut } from '$lib/server/accounts/sign-in';
import { SIGN_IN_PATH } from '$lib/server/accounts/pages';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		const rt = runtimeOf(event);
		if (event.locals.session) await signOut(rt, event.locals.session.id);
		deleteSessionCookie(event.cookies, rt.config);
		redirect(303, SIGN_IN_PATH);
	}
};
