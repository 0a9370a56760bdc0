// Administration: invite links and password-reset links (shown once, never stored).
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { listInvites } from '$lib/server/accounts/invites';
import { listUsers } from '$lib/server/accounts/users';
import { adminCreateInvite, adminDeleteInvite, adminResetLink } from '$lib/server/admin/links';
import { adminUserView } from '$lib/server/accounts/views';
import { pageUser } from '$lib/server/accounts/pages';
import { readForm, runAction } from '$lib/server/accounts/forms';
import { publicIdSchema } from '$lib/server/accounts/schemas';

/** Most accounts the page lists. */
const ADMIN_LIST_MAX = 1000;

function pageAdmin(event: Pick<RequestEvent, 'locals'>) {
	const who = pageUser(event);
	if (who.user.role !== 'admin') error(403, 'Only an administrator may do this');
	return who;
}

export const load: PageServerLoad = async (event) => {
	const { user } = pageAdmin(event);
	const rt = runtimeOf(event);
	return {
		me: user.id,
		users: (await listUsers(rt.db, ADMIN_LIST_MAX)).map(adminUserView),
		invites: await listInvites(rt.db),
		registration: rt.config.registration
	};
};

export const actions: Actions = {
	invite: async (event) => {
		const { user } = pageAdmin(event);
		const rt = runtimeOf(event);
		const { url } = await adminCreateInvite(rt, user);
		return { link: url };
	},
	deleteInvite: (event) =>
		runAction(async () => {
			const { user } = pageAdmin(event);
			const { data } = await readForm(event, z.object({ id: publicIdSchema }));
			await adminDeleteInvite(runtimeOf(event), user, data.id);
			return {};
		}),
	resetLink: (event) =>
		runAction(async () => {
			const { user: admin } = pageAdmin(event);
			const rt = runtimeOf(event);
			const { data } = await readForm(event, z.object({ userId: publicIdSchema }));
			// One's own account needs the password (API); this page offers the link for others only.
			const { url, username } = await adminResetLink(rt, admin, data.userId);
			return { link: url, forUser: username };
		})
};
