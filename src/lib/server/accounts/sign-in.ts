/** Signing in (password, then the second factor when on) and signing out. */
import { ApiError, fieldError } from '../http-errors.js';
import { createSession } from '../auth/sessions.js';
import { endSessions, sweepExpiredSessions } from '../auth/session-list.js';
import { verifySecondFactor } from '../auth/two-factor.js';
import type { SessionInfo } from '../auth/types.js';
import { verifyDummyQueued, verifyQueued } from './passwords.js';
import { credentialsByLogin, getUser, type UserRecord } from './users.js';
import { isDisabled } from '../admin/users.js';
import { enforceRate } from '../rate-limit/index.js';
import { rateRules, type AccountRuntime, type ClientInfo } from './services.js';

/** A new session: the token for the cookie and the session it names. */
export interface NewSession {
	token: string;
	session: SessionInfo;
}

/** The one answer to any wrong pair, so it tells nothing about which half was wrong. */
const WRONG_PAIR = () => new ApiError(401, 'invalid_credentials', 'Wrong username or password');

/**
 * Checks a username (or e-mail) and password; with 2FA on, the session is only half signed in.
 * Attempts are counted per address, per account and address pair, and per account (a higher
 * ceiling): someone guessing from elsewhere does not lock the owner out of their own address.
 */
export async function signIn(
	rt: AccountRuntime,
	input: { login: string; password: string; client: ClientInfo; previousSessionId: string | null }
): Promise<NewSession & { user: UserRecord; twoFactorRequired: boolean }> {
	const rules = rateRules(rt.config.limits);
	await enforceRate(rt.rateLimiter, `login:address:${input.client.address}`, rules.loginAddress);
	const login = input.login.trim().toLowerCase();
	const credentials = await credentialsByLogin(rt.db, login);
	const account = credentials?.id ?? login;
	const pairKey = `login:pair:${account}:${input.client.address}`;
	await enforceRate(rt.rateLimiter, pairKey, rules.loginPair);
	await enforceRate(rt.rateLimiter, `login:account:${account}`, rules.loginAccount);
	if (!credentials) {
		await verifyDummyQueued(rt, input.password);
		throw WRONG_PAIR();
	}
	if (!(await verifyQueued(rt, credentials.passwordHash, input.password))) throw WRONG_PAIR();
	// Only this address's count restarts: the account-wide ceiling keeps counting others' guesses.
	await rt.rateLimiter.reset(pairKey);
	const user = await getUser(rt.db, credentials.id);
	if (!user) throw WRONG_PAIR();
	// Told only after the right password: a disabled account is not revealed to guessers.
	if (await isDisabled(rt.db, user.id)) throw new ApiError(403, 'account_disabled', 'This account is disabled; ask an administrator');
	const now = rt.now();
	await sweepExpiredSessions(rt, now);
	// Signing in again in the same browser replaces the session it had.
	if (input.previousSessionId) await endSessions(rt, [input.previousSessionId]);
	const created = await createSession(rt.db, {
		userId: user.id,
		twoFactorPending: user.twoFactorEnabled,
		userAgent: input.client.userAgent,
		now,
		limits: rt.config.limits
	});
	return { ...created, user, twoFactorRequired: user.twoFactorEnabled };
}

/** Completes a half-signed-in session with a TOTP or recovery code; the session is replaced. */
export async function completeSignIn(
	rt: AccountRuntime,
	input: { session: SessionInfo; code: string; client: ClientInfo }
): Promise<NewSession & { user: UserRecord }> {
	if (!input.session.twoFactorPending) throw new ApiError(409, 'not_pending', 'This session is already signed in');
	await enforceRate(rt.rateLimiter, `2fa:${input.session.userId}`, rateRules(rt.config.limits).twoFactor);
	const now = rt.now();
	if (!(await verifySecondFactor(rt.db, { userId: input.session.userId, code: input.code, now })))
		throw fieldError('code', 'wrong or already used code', 'invalid_code', 401);
	const user = await getUser(rt.db, input.session.userId);
	if (!user) throw new ApiError(401, 'unauthenticated', 'Sign in first');
	// A new token once fully signed in: whoever saw the half session's token gains nothing.
	await endSessions(rt, [input.session.id]);
	const created = await createSession(rt.db, {
		userId: user.id,
		twoFactorPending: false,
		userAgent: input.client.userAgent,
		now,
		limits: rt.config.limits
	});
	return { ...created, user };
}

/** Ends the caller's session (its sockets close too). */
export async function signOut(rt: AccountRuntime, sessionId: string): Promise<void> {
	await endSessions(rt, [sessionId]);
}
