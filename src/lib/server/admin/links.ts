/**
 * The admin actions that hand out access, each audited: password-reset links (taking over an
 * account, another admin's included), registration invites, and turning off two-factor sign-in.
 * Done to one's own account, the reset link and the 2FA switch ask for the admin's password, as a
 * person changing it from settings would: a stolen admin session must not drop the second factor
 * or mint itself a new password.
 */
import type { Runtime } from '../runtime.js';
import { ApiError, fieldError } from '../http-errors.js';
import { checkCurrentPassword } from '../accounts/password.js';
import { getUser } from '../accounts/users.js';
import { issueResetLink } from '../accounts/reset.js';
import { createInvite, deleteInvite } from '../accounts/invites.js';
import { audit } from './audit.js';
import { turnOffTwoFactor, type AdminUserView } from './users.js';

type Admin = { id: string; username: string };

/** For an action on one's own account: the password, checked (400 `password_required`, 403 `wrong_password`). */
async function confirmOwn(rt: Runtime, admin: Admin, targetId: string, password: string | undefined): Promise<void> {
	if (targetId !== admin.id) return;
	if (!password) throw fieldError('password', 'your password is needed to do this to your own account', 'password_required');
	await checkCurrentPassword(rt, admin.id, password, 'password');
}

/** A one-time reset link for `targetId` (404 when there is none); audited as `user.reset_link`. */
export async function adminResetLink(
	rt: Runtime,
	admin: Admin,
	targetId: string,
	password?: string
): Promise<{ url: string; expiresAt: Date; username: string }> {
	const target = await getUser(rt.db, targetId);
	if (!target) throw new ApiError(404, 'not_found', 'No such user');
	await confirmOwn(rt, admin, target.id, password);
	const link = await issueResetLink(rt.db, {
		userId: target.id,
		createdBy: admin.id,
		now: rt.now(),
		ttlMs: rt.config.limits.resetTokenTtlMs,
		origin: rt.config.origin
	});
	await audit(rt.db, { admin, action: 'user.reset_link', target: target.username, now: rt.now() });
	rt.log.info({ adminId: admin.id, userId: target.id }, 'admin issued a reset link');
	return { ...link, username: target.username };
}

/** Turns off someone's two-factor sign-in (one's own: with the password); audited as `user.2fa_off`. */
export async function adminTwoFactorOff(rt: Runtime, admin: Admin, targetId: string, password?: string): Promise<AdminUserView> {
	await confirmOwn(rt, admin, targetId, password);
	return turnOffTwoFactor(rt, admin, targetId);
}

/** A registration invite (its url with the token is shown once); audited as `invite.create`. */
export async function adminCreateInvite(rt: Runtime, admin: Admin) {
	const created = await createInvite(rt.db, {
		createdBy: admin.id,
		now: rt.now(),
		ttlMs: rt.config.limits.inviteTtlMs,
		origin: rt.config.origin
	});
	await audit(rt.db, { admin, action: 'invite.create', target: created.invite.id, now: rt.now() });
	return created;
}

/** Revokes an invite; audited as `invite.delete`. */
export async function adminDeleteInvite(rt: Runtime, admin: Admin, id: string): Promise<void> {
	await deleteInvite(rt.db, id);
	await audit(rt.db, { admin, action: 'invite.delete', target: id, now: rt.now() });
}
