// Notifications settings: what a notification shows, mentions in muted chats, reactions (the same as
// PATCH /api/push/settings), and the devices receiving notifications (GET /api/push/subscriptions).
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { pageUser } from '$lib/server/accounts/pages';
import { readForm, runAction } from '$lib/server/accounts/forms';
import { changeSettings, readSettings } from '$lib/server/push/subscribe';
import { listDevices } from '$lib/server/push/store';

// An unchecked checkbox sends nothing: absent means "off".
const Form = z.object({
	preview: z.enum(['full', 'name', 'none']),
	mentionsInMuted: z.literal('on').optional(),
	reactions: z.literal('on').optional()
});

export const load: PageServerLoad = async (event) => {
	const { user, session } = pageUser(event);
	const rt = runtimeOf(event);
	return { settings: await readSettings(rt, user.id), devices: await listDevices(rt.db, user.id, session.id) };
};

export const actions: Actions = {
	default: (event) =>
		runAction(async () => {
			const { user } = pageUser(event);
			const { data } = await readForm(event, Form);
			await changeSettings(runtimeOf(event), user.id, {
				preview: data.preview,
				mentionsInMuted: data.mentionsInMuted === 'on',
				reactions: data.reactions === 'on'
			});
			return { saved: true };
		})
};
