// /admin: the admin panel (admins only). The page loads the first figures and lists; it then
// follows the live figures over SSE and acts through the JSON admin API.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { pageUser } from '$lib/server/accounts/pages';
import { statsOf } from '$lib/server/admin/service';
import { searchAccounts } from '$lib/server/admin/users';
import { recentMessages } from '$lib/server/admin/messages';
import { auditPage } from '$lib/server/admin/audit';

/** Accounts the first view lists (the search narrows further). */
const FIRST_USERS = 200;

export const load: PageServerLoad = async (event) => {
	const { user } = pageUser(event);
	if (user.role !== 'admin') error(403, 'Only an administrator may do this');
	const rt = runtimeOf(event);
	return {
		me: user.id,
		stats: await statsOf(rt),
		users: await searchAccounts(rt.db, '', FIRST_USERS),
		messages: await recentMessages(rt.db, { limit: rt.config.limits.adminMessagesPageMax }),
		audit: await auditPage(rt.db, { limit: rt.config.limits.adminAuditPageMax }),
		backups: await rt.backups.list()
	};
};
