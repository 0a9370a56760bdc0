// Profile: display name, username, e-mail and avatar.
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { fieldError } from '$lib/server/http-errors';
import { getUser, updateProfile } from '$lib/server/accounts/users';
import { displayNameSchema, emailSchema, usernameSchema } from '$lib/server/accounts/schemas';
import { removeAvatar, saveAvatar, toAvatarWebp } from '$lib/server/accounts/avatars';
import { fileBytes } from '$lib/server/accounts/upload';
import { pageUser } from '$lib/server/accounts/pages';
import { formOf, readForm, runAction } from '$lib/server/accounts/forms';
import { enforceRate } from '$lib/server/rate-limit';
import { rateRules } from '$lib/server/accounts/services';
import { storageOf } from '$lib/server/uploads/quota';

const Form = z.object({ displayName: displayNameSchema, username: usernameSchema, email: emailSchema.optional() });

export const load: PageServerLoad = async (event) => {
	const { user } = pageUser(event);
	const rt = runtimeOf(event);
	const record = await getUser(rt.db, user.id);
	return {
		profile: { username: user.username, displayName: user.displayName, email: record?.email ?? '', avatarUrl: user.avatarUrl },
		storage: await storageOf(rt.db, rt.config.limits, user.id)
	};
};

export const actions: Actions = {
	profile: (event) =>
		runAction(async () => {
			const { user } = pageUser(event);
			const { data } = await readForm(event, Form);
			await updateProfile(runtimeOf(event).db, user.id, { ...data, email: data.email ?? null });
			return { saved: true };
		}),
	avatar: (event) =>
		runAction(async () => {
			const { user } = pageUser(event);
			const rt = runtimeOf(event);
			const { limits } = rt.config;
			const tooLarge = () => fieldError('file', 'too large', 'too_large', 413);
			const bytes = await fileBytes((await formOf(event)).get('file'), limits.avatarMaxBytes, tooLarge);
			if (!bytes) throw fieldError('file', 'attach an image');
			await enforceRate(rt.rateLimiter, `avatar:${user.id}`, rateRules(limits).avatar);
			await saveAvatar(rt.db, { userId: user.id, webp: await toAvatarWebp(bytes, limits, rt.imageWork, user.id), now: rt.now() });
			return { saved: true };
		}),
	removeAvatar: async (event) => {
		const { user } = pageUser(event);
		await removeAvatar(runtimeOf(event).db, user.id);
		return { saved: true };
	}
};
