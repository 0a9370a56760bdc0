/** Shapes of account data the caller may see about themselves (never secrets). */
import type { UserRecord } from './users.js';

/** The caller's own account facts beside the public `user` (GET /api/me). */
export interface AccountView {
	email: string | null;
	role: 'admin' | 'user';
	twoFactorEnabled: boolean;
	createdAt: string;
}

/** What the owner sees of their account. */
export function accountView(user: UserRecord): AccountView {
	return { email: user.email, role: user.role, twoFactorEnabled: user.twoFactorEnabled, createdAt: user.createdAt.toISOString() };
}

/** What an admin sees of any account. */
export function adminUserView(user: UserRecord) {
	return {
		id: user.id,
		username: user.username,
		displayName: user.displayName,
		role: user.role,
		twoFactorEnabled: user.twoFactorEnabled,
		hasEmail: user.email !== null,
		createdAt: user.createdAt.toISOString()
	};
}
