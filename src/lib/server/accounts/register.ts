/** Creating an account: open, invite-only or closed registration; the first account is admin. */
import { ApiError, fieldError } from '../http-errors.js';
import { createSession } from '../auth/sessions.js';
import { claimInvite } from './invites.js';
import { hashQueued, passwordProblem } from './passwords.js';
import { countUsers, createUser, type UserRecord } from './users.js';
import { enforceRate } from '../rate-limit/index.js';
import { rateRules, type AccountRuntime, type ClientInfo } from './services.js';
import type { NewSession } from './sign-in.js';

/** What a new account needs; `invite` is the token of an invite link. */
export interface Registration {
	username: string;
	password: string;
	displayName?: string;
	email?: string;
	invite?: string;
}

/** Creates the account and signs it in. 403 when registration is closed or the invite is bad. */
export async function register(
	rt: AccountRuntime,
	input: Registration & { client: ClientInfo }
): Promise<NewSession & { user: UserRecord }> {
	await enforceRate(rt.rateLimiter, `register:address:${input.client.address}`, rateRules(rt.config.limits).registerAddress);
	const problem = passwordProblem(input.password, input.username);
	if (problem) throw fieldError('password', problem, 'weak_password');
	// The first account is always possible, else a fresh closed or invite-only server has no admin.
	const first = (await countUsers(rt.db)) === 0;
	const mode = rt.config.registration;
	if (!first && mode === 'closed') throw new ApiError(403, 'registration_closed', 'This server does not accept new accounts');
	if (!first && mode === 'invite' && !input.invite)
		throw fieldError('invite', 'this server needs an invite link to create an account', 'invite_required', 403);
	const passwordHash = await hashQueued(rt, input.password);
	const now = rt.now();
	const user = await rt.db.transaction(async (tx) => {
		const created = await createUser(tx, {
			username: input.username,
			displayName: input.displayName ?? input.username,
			passwordHash,
			email: input.email ?? null,
			now
		});
		if (!first && mode === 'invite') await claimInvite(tx, { token: input.invite!, userId: created.id, now });
		return created;
	});
	rt.log.info({ userId: user.id, role: user.role }, 'account created');
	const session = await createSession(rt.db, {
		userId: user.id,
		twoFactorPending: false,
		userAgent: input.client.userAgent,
		now,
		limits: rt.config.limits
	});
	return { ...session, user };
}
