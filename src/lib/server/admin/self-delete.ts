/** People deleting their own account from settings: password and, when on, the second factor confirm it. */
import type { Runtime } from '../runtime.js';
import { ApiError } from '../http-errors.js';
import { checkCurrentPassword } from '../accounts/password.js';
import { getUser } from '../accounts/users.js';
import { verifySecondFactor } from '../auth/two-factor.js';
import { deleteAccount } from './users.js';

/** Deletes the caller's account (see users.ts for what happens to their messages). */
export async function deleteOwnAccount(rt: Runtime, userId: string, input: { password: string; code?: string }): Promise<void> {
	await checkCurrentPassword(rt, userId, input.password, 'password');
	const user = await getUser(rt.db, userId);
	if (!user) throw new ApiError(404, 'not_found', 'No such user');
	if (user.twoFactorEnabled) {
		if (!input.code) throw new ApiError(400, 'code_required', 'code: your two-factor code is needed to delete the account');
		if (!(await verifySecondFactor(rt.db, { userId, code: input.code, now: rt.now() })))
			throw new ApiError(403, 'wrong_code', 'code: this code is not valid');
	}
	await deleteAccount(rt, null, userId);
}
