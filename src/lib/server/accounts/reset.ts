/**
 * Password-reset links: single-use, valid `resetTokenTtlMs` (1 hour). Issued by mail on request
 * (only when SMTP is configured) or by an admin for any user.
 */
import type { Db, Queryable } from '../db/index.js';
import { fieldError } from '../http-errors.js';
import { hashToken, newLinkToken } from '../auth/tokens.js';

/** The page that takes a reset token (query `token`, kept out of request logs). */
export const RESET_PAGE_PATH = '/reset-password';

const SQL = {
	insert: `insert into password_resets (id, user_id, created_by, created_at, expires_at) values ($1, $2, $3, $4, $5)`,
	// Claiming is one update, so a link used twice at once still works only once.
	claim: `update password_resets set used_at = $2 where id = $1 and used_at is null and expires_at > $2 returning user_id`,
	peek: `select user_id from password_resets where id = $1 and used_at is null and expires_at > $2`,
	// A new password makes every other outstanding link of that user useless.
	retireOthers: `update password_resets set used_at = $2 where user_id = $1 and used_at is null`
};

/** Creates a reset link for a user; returns its URL (the token lives only there) and expiry. */
export async function issueResetLink(
	db: Queryable,
	input: { userId: string; createdBy: string | null; now: number; ttlMs: number; origin: string }
): Promise<{ url: string; expiresAt: Date }> {
	const { token, hash } = newLinkToken();
	const expiresAt = new Date(input.now + input.ttlMs);
	await db.query(SQL.insert, [hash, input.userId, input.createdBy, new Date(input.now), expiresAt]);
	return { url: `${input.origin}${RESET_PAGE_PATH}?token=${token}`, expiresAt };
}

/** True while a reset token can still be used (the page checks before showing its form). */
export async function resetTokenIsValid(db: Queryable, token: string, now: number): Promise<boolean> {
	return (await db.query(SQL.peek, [hashToken(token), new Date(now)])).length === 1;
}

/** The 400 for a reset token that is unknown, used or expired. */
export function invalidResetToken() {
	return fieldError('token', 'this link is invalid, used or expired; ask for a new one', 'invalid_token');
}

/** Uses up a reset token and runs `apply` for its user in the same transaction; 400 if invalid. */
export async function consumeResetToken<T>(
	db: Db,
	input: { token: string; now: number },
	apply: (tx: Queryable, userId: string) => Promise<T>
): Promise<T> {
	return db.transaction(async (tx) => {
		const [row] = await tx.query<{ user_id: string }>(SQL.claim, [hashToken(input.token), new Date(input.now)]);
		if (!row) throw invalidResetToken();
		await tx.query(SQL.retireOthers, [row.user_id, new Date(input.now)]);
		return apply(tx, row.user_id);
	});
}
