/** Changing a password (other sessions end) and resetting a forgotten one (all sessions end). */
import { fieldError } from '../http-errors.js';
import { endUserSessions } from '../auth/session-list.js';
import type { SessionInfo } from '../auth/types.js';
import { resetMail, type MailLocale } from '../mail/templates.js';
import { hashQueued, passwordProblem, verifyQueued } from './passwords.js';
import { consumeResetToken, invalidResetToken, issueResetLink, resetTokenIsValid } from './reset.js';
import { credentialsByLogin, getUser, passwordHashOf, setPasswordHash } from './users.js';
import { enforceRate } from '../rate-limit/index.js';
import { rateRules, type AccountRuntime, type ClientInfo } from './services.js';

/** Checks the signed-in user's current password (rate limited); 403 when wrong. */
export async function checkCurrentPassword(rt: AccountRuntime, userId: string, password: string, field = 'currentPassword'): Promise<void> {
	await enforceRate(rt.rateLimiter, `password-check:${userId}`, rateRules(rt.config.limits).passwordCheck);
	const stored = await passwordHashOf(rt.db, userId);
	if (!stored || !(await verifyQueued(rt, stored, password)))
		throw fieldError(field, 'the current password is wrong', 'wrong_password', 403);
}

/** Replaces the password after checking the current one; every other session of the user ends. */
export async function changePassword(
	rt: AccountRuntime,
	input: { userId: string; username: string; session: SessionInfo; currentPassword: string; newPassword: string }
): Promise<void> {
	await checkCurrentPassword(rt, input.userId, input.currentPassword);
	const problem = passwordProblem(input.newPassword, input.username);
	if (problem) throw fieldError('newPassword', problem, 'weak_password');
	await setPasswordHash(rt.db, input.userId, await hashQueued(rt, input.newPassword));
	const ended = await endUserSessions(rt, input.userId, input.session.id);
	rt.log.info({ userId: input.userId, endedSessions: ended.length }, 'password changed');
}

/**
 * Mails a reset link when SMTP is set and the account has an e-mail address. The caller answers
 * 202 at once either way; the lookup and mail run afterwards, so neither the answer nor its
 * timing tells whether the account exists. `done` settles when that work is over (tests).
 */
export async function requestReset(
	rt: AccountRuntime,
	input: { login: string; client: ClientInfo; locale: MailLocale }
): Promise<{ done: Promise<void> }> {
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
		const { url } = await issueResetLink(rt.db, {
			userId: user.id,
			createdBy: null,
			now: rt.now(),
			ttlMs: limits.resetTokenTtlMs,
			origin: rt.config.origin
		});
		await mailer.send(
			resetMail({
				to: user.email,
				username: user.username,
				url,
				validMinutes: Math.round(limits.resetTokenTtlMs / 60_000),
				locale: input.locale
			})
		);
		rt.log.info({ userId: user.id }, 'password reset mail sent');
	})().catch((error: unknown) => rt.log.error({ err: error }, 'password reset mail failed'));
	return { done: work };
}

/**
 * Sets a new password with a reset token; every session of the user ends. Rate limited per
 * address, and the token is looked up before any argon2 work, so bogus tokens cost a query only.
 */
export async function confirmReset(rt: AccountRuntime, input: { token: string; password: string; client: ClientInfo }): Promise<void> {
	await enforceRate(rt.rateLimiter, `reset-confirm:address:${input.client.address}`, rateRules(rt.config.limits).resetConfirmAddress);
	if (!(await resetTokenIsValid(rt.db, input.token, rt.now()))) throw invalidResetToken();
	const problem = passwordProblem(input.password);
	if (problem) throw fieldError('password', problem, 'weak_password');
	const passwordHash = await hashQueued(rt, input.password);
	const userId = await consumeResetToken(rt.db, { token: input.token, now: rt.now() }, async (tx, userId) => {
		const user = await getUser(tx, userId);
		const sameAsName = user && passwordProblem(input.password, user.username);
		if (sameAsName) throw fieldError('password', sameAsName, 'weak_password');
		await setPasswordHash(tx, userId, passwordHash);
		return userId;
	});
	const ended = await endUserSessions(rt, userId, null);
	rt.log.info({ userId, endedSessions: ended.length }, 'password reset');
}

export type { ClientInfo };
