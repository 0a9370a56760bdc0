// Create-account page; with REGISTRATION=invite it needs the `invite` of an invite link.
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { displayNameSchema, emailSchema, newPasswordSchema, tokenSchema, usernameSchema } from '$lib/server/accounts/schemas';
import { register } from '$lib/server/accounts/register';
import { countUsers } from '$lib/server/accounts/users';
import { inviteIsValid } from '$lib/server/accounts/invites';
import { clientOf, startSession } from '$lib/server/accounts/http';
import { readForm, runAction } from '$lib/server/accounts/forms';

const Form = z.object({
	username: usernameSchema,
	password: newPasswordSchema,
	displayName: displayNameSchema.optional(),
	email: emailSchema.optional()
});

export const load: PageServerLoad = async (event) => {
	if (event.locals.user) redirect(303, '/');
	const rt = runtimeOf(event);
	const first = (await countUsers(rt.db)) === 0;
	const invite = event.url.searchParams.get('invite') ?? '';
	const mode = first ? 'open' : rt.config.registration;
	const inviteOk = mode === 'invite' && tokenSchema.safeParse(invite).success && (await inviteIsValid(rt.db, invite, rt.now()));
	// The invite stays in the address bar (the form posts back to it); the page never repeats it.
	return { mode, inviteOk };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.clone().formData();
		const values = {
			username: String(form.get('username') ?? ''),
			displayName: String(form.get('displayName') ?? ''),
			email: String(form.get('email') ?? '')
		};
		const failed = await runAction(async () => {
			const { data } = await readForm(event, Form);
			const rt = runtimeOf(event);
			const invite = tokenSchema.safeParse(event.url.searchParams.get('invite'));
			const created = await register(rt, { ...data, invite: invite.success ? invite.data : undefined, client: clientOf(event) });
			startSession(event, rt.config, created);
		}, values);
		if (failed) return failed;
		redirect(303, '/');
	}
};
