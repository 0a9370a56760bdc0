// Security: password change, two-step verification, and the sessions list with "sign out".
import { z } from 'zod';
import QRCode from 'qrcode';
import type { Actions, PageServerLoad } from './$types';
import { runtimeOf } from '$lib/server/runtime';
import { ApiError } from '$lib/server/http-errors';
import { changePassword, checkCurrentPassword } from '$lib/server/accounts/password';
import { codeSchema, newPasswordSchema, passwordSchema, publicIdSchema } from '$lib/server/accounts/schemas';
import { getUser } from '$lib/server/accounts/users';
import { disableTotp, enableTotp, remainingRecoveryCodes, startTotpSetup } from '$lib/server/auth/two-factor';
import { endSessions, listSessions, sessionIdByPublicId } from '$lib/server/auth/session-list';
import { pageUser } from '$lib/server/accounts/pages';
import { readForm, runAction } from '$lib/server/accounts/forms';
import { redirect } from '@sveltejs/kit';
import { deleteOwnAccount } from '$lib/server/admin/self-delete';
import { deleteSessionCookie } from '$lib/server/auth/cookies';

export const load: PageServerLoad = async (event) => {
	const { user, session } = pageUser(event);
	const rt = runtimeOf(event);
	const record = await getUser(rt.db, user.id);
	const twoFactorEnabled = record?.twoFactorEnabled ?? false;
	return {
		twoFactorEnabled,
		recoveryCodesLeft: twoFactorEnabled ? await remainingRecoveryCodes(rt.db, user.id) : 0,
		sessions: await listSessions(rt.db, { userId: user.id, currentId: session.id, now: rt.now() })
	};
};

export const actions: Actions = {
	password: (event) =>
		runAction(async () => {
			const { user, session } = pageUser(event);
			const { data } = await readForm(event, z.object({ currentPassword: passwordSchema, newPassword: newPasswordSchema }));
			await changePassword(runtimeOf(event), { userId: user.id, username: user.username, session, ...data });
			return { passwordChanged: true };
		}),
	setup: (event) =>
		runAction(async () => {
			const { user } = pageUser(event);
			const rt = runtimeOf(event);
			const { secret, uri } = await startTotpSetup(rt.db, { userId: user.id, username: user.username, now: rt.now() });
			// The one time the secret leaves the server: as text and as a QR code (a data: URL image).
			return { setup: { secret, qr: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) } };
		}),
	enable: (event) =>
		runAction(async () => {
			const { user } = pageUser(event);
			const rt = runtimeOf(event);
			const { data } = await readForm(event, z.object({ code: codeSchema }));
			return { recoveryCodes: await enableTotp(rt.db, { userId: user.id, code: data.code, now: rt.now(), limits: rt.config.limits }) };
		}),
	disable: (event) =>
		runAction(async () => {
			const { user } = pageUser(event);
			const rt = runtimeOf(event);
			const { data } = await readForm(event, z.object({ password: passwordSchema }));
			await checkCurrentPassword(rt, user.id, data.password, 'password');
			await disableTotp(rt.db, user.id);
			return { disabled: true };
		}),
	revoke: (event) =>
		runAction(async () => {
			const { user } = pageUser(event);
			const rt = runtimeOf(event);
			const { data } = await readForm(event, z.object({ id: publicIdSchema }));
			const id = await sessionIdByPublicId(rt.db, user.id, data.id);
			if (!id) throw new ApiError(404, 'not_found', 'No such session');
			await endSessions(rt, [id]);
			return { revoked: true };
		}),
	// Deleting one's own account: password, and the second factor when it is on (docs/operations.md).
	deleteAccount: async (event) => {
		const result = await runAction(async () => {
			const { user } = pageUser(event);
			const rt = runtimeOf(event);
			const { data } = await readForm(event, z.object({ password: passwordSchema, code: z.string().max(64).optional() }));
			await deleteOwnAccount(rt, user.id, { password: data.password, code: data.code || undefined });
			deleteSessionCookie(event.cookies, rt.config);
			return { deleted: true };
		});
		if ('deleted' in result) redirect(303, '/login');
		return result;
	}
};
