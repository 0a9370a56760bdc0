/** Who is asking, as hooks put it in `locals`. */

export type UserRole = 'admin' | 'user';

/** The signed-in user as the server sees it (never sent whole to clients: see `publicUser`). */
export interface SessionUser {
	id: string;
	username: string;
	displayName: string;
	avatarUrl: string | null;
	role: UserRole;
}

/** A session of this request. `twoFactorPending`: signed in by password, second factor still owed. */
export interface SessionInfo {
	id: string;
	userId: string;
	expiresAt: Date;
	twoFactorPending: boolean;
}

/** The `user` object of SPEC §3. */
export interface PublicUser {
	id: string;
	username: string;
	displayName: string;
	avatarUrl?: string;
}

/** The client-visible shape of a user. */
export function publicUser(user: Pick<SessionUser, 'id' | 'username' | 'displayName' | 'avatarUrl'>): PublicUser {
	return {
		id: user.id,
		username: user.username,
		displayName: user.displayName,
		...(user.avatarUrl ? { avatarUrl: user.avatarUrl } : {})
	};
}
