// Privacy settings page (the same settings as GET/PATCH /api/me/privacy).
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { CONVERSATION_AUDIENCES, FINDABLE_AUDIENCES, PRESENCE_AUDIENCES, getPrivacy } from '$lib/server/accounts/privacy';
import { changePrivacy } from '$lib/server/accounts/privacy-change';
import { pageUser } from '$lib/server/accounts/pages';
import { readForm, runAction } from '$lib/server/accounts/forms';

// An unchecked checkbox sends nothing: absent means "off".
const Form = z.object({
	allowConversationsFrom: z.enum(CONVERSATION_AUDIENCES),
	lastSeenVisibleTo: z.enum(PRESENCE_AUDIENCES),
	findableBy: z.enum(FINDABLE_AUDIENCES),
	readReceipts: z.literal('on').optional()
});

export const load: PageServerLoad = async (event) => {
	const { user } = pageUser(event);
	return { privacy: await getPrivacy(runtimeOf(event).db, user.id) };
};

export const actions: Actions = {
	default: (event) =>
		runAction(async () => {
			const { user } = pageUser(event);
			const { data } = await readForm(event, Form);
			await changePrivacy(runtimeOf(event), user.id, { ...data, readReceipts: data.readReceipts === 'on' });
			return { saved: true };
		})
};
