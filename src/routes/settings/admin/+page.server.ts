// Administration: invite links and password-reset links (shown once, never stored).
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { ApiError } from '$lib/server/http-errors';
import { createInvite, deleteInvite, listInvites } from '$lib/server/accounts/invites';
import { issueResetLink } from '$lib/server/accounts/reset';
import { getUser, listUsers } from '$lib/server/accounts/users';
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
	pageAdmin(event);
	const rt = runtimeOf(event);
	return {
		users: (await listUsers(rt.db, ADMIN_LIST_MAX)).map(adminUserView),
		invites: await listInvites(rt.db),
		registration: rt.config.registration
	};
};

export const actions: Actions = {
	invite: async (event) => {
		const { user } = pageAdmin(event);
		const rt = runtimeOf(event);
		const { url } = await createInvite(rt.db, {
			createdBy: user.id,
			now: rt.now(),
			ttlMs: rt.config.limits.inviteTtlMs,
			origin: rt.config.origin
		});
		return { link: url };
	},
	deleteInvite: (event) =>
		runAction(async () => {
			pageAdmin(event);
			const { data } = await readForm(event, z.object({ id: publicIdSchema }));
			await deleteInvite(runtimeOf(event).db, data.id);
			return {};
		}),
	resetLink: (event) =>
		runAction(async () => {
			const { user: admin } = pageAdmin(event);
			const rt = runtimeOf(event);
			const { data } = await readForm(event, z.object({ userId: publicIdSchema }));
			const target = await getUser(rt.db, data.userId);
			if (!target) throw new ApiError(404, 'not_found', 'No such user');
			const { url } = await issueResetLink(rt.db, {
				userId: target.id,
				createdBy: admin.id,
				now: rt.now(),
				ttlMs: rt.config.limits.resetTokenTtlMs,
				origin: rt.config.origin
			});
			return { link: url, forUser: target.username };
		})
};
