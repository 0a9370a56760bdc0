/** Changing a password (other sessions end) and resetting a forgotten one (all sessions end). */
import { ApiError } from '../http-errors.js';
import { endUserSessions } from '../auth/session-list.js';
import type { SessionInfo } from '../auth/types.js';
import { resetMail, type MailLocale } from '../mail/templates.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { consumeResetToken, issueResetLink } from './reset.js';
import { credentialsByLogin, getUser, passwordHashOf, setPasswordHash } from './users.js';
import { enforceRate } from '../rate-limit/index.js';
import { rateRules, type AccountRuntime, type ClientInfo } from './services.js';

/** Checks the signed-in user's current password (rate limited); 403 when wrong. */
export async function checkCurrentPassword(rt: AccountRuntime, userId: string, password: string, field = 'currentPassword'): Promise<void> {
	await enforceRate(rt.rateLimiter, `password-check:${userId}`, rateRules(rt.config.limits).passwordCheck);
	const stored = await passwordHashOf(rt.db, userId);
	if (!stored || !(await verifyPassword(stored, password)))
		throw new ApiError(403, 'wrong_password', `${field}: the current password is wrong`);
}

/** Replaces the password after checking the current one; every other session of the user ends. */
export async function changePassword(
	rt: AccountRuntime,
	input: { userId: string; username: string; session: SessionInfo; currentPassword: string; newPassword: string }
): Promise<void> {
	await checkCurrentPassword(rt, input.userId, input.currentPassword);
	const problem = passwordProblem(input.newPassword, input.username);
	if (problem) throw new ApiError(400, 'weak_password', `newPassword: ${problem}`);
	await setPasswordHash(rt.db, input.userId, await hashPassword(input.newPassword));
	const ended = await endUserSessions(rt, input.userId, input.session.id);
	rt.log.info({ userId: input.userId, endedSessions: ended.length }, 'password changed');
}

/**
 * Mails a reset link when SMTP is set and the account has an e-mail address. The caller answers
 * 202 at once either way; the lookup and mail run afterwards, so neither the answer nor its
 * timing tells whether the account exists. `done` settles when that work is over (tests).
 */
export async function requestReset(rt: AccountRuntime, input: { login: string; client: ClientInfo; locale: MailLocale }): Promise<{ done: Promise<void> }> {
	const rules = rateRules(rt.config.limits);
	await enforceRate(rt.rateLimiter, `reset:address:${input.client.address}`, rules.resetAddress);
	const work = (async () => {
		const mailer = rt.mailer;
		if (!mailer) return;
		const credentials = await credentialsByLogin(rt.db, input.login);
		const user = credentials && (await getUser(rt.db, credentials.id));
		if (!user?.email) return;
		// Enough mails for this account this hour: send nothing; the answer stays 202.
		if ((await rt.rateLimiter.hit(`reset:account:${user.id}`, rules.resetAccount)).limited) return;
		const limits = rt.config.limits;
		const { url } = await issueResetLink(rt.db, { userId: user.id, createdBy: null, now: rt.now(), ttlMs: limits.resetTokenTtlMs, origin: rt.config.origin });
		await mailer.send(resetMail({ to: user.email, username: user.username, url, validMinutes: Math.round(limits.resetTokenTtlMs / 60_000), locale: input.locale }));
		rt.log.info({ userId: user.id }, 'password reset mail sent');
	})().catch((error: unknown) => rt.log.error({ err: error }, 'password reset mail failed'));
	return { done: work };
}

/** Sets a new password with a reset token; every session of the user ends. */
export async function confirmReset(rt: AccountRuntime, input: { token: string; password: string }): Promise<void> {
	const problem = passwordProblem(input.password);
	if (problem) throw new ApiError(400, 'weak_password', `password: ${problem}`);
	const passwordHash = await hashPassword(input.password);
	const userId = await consumeResetToken(rt.db, { token: input.token, now: rt.now() }, async (tx, userId) => {
		const user = await getUser(tx, userId);
		const sameAsName = user && passwordProblem(input.password, user.username);
		if (sameAsName) throw new ApiError(400, 'weak_password', `password: ${sameAsName}`);
		await setPasswordHash(tx, userId, passwordHash);
		return userId;
	});
	const ended = await endUserSessions(rt, userId, null);
	rt.log.info({ userId, endedSessions: ended.length }, 'password reset');
}

export type { ClientInfo };
