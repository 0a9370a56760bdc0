/** Who is asking, as hooks put it in `locals`. */
import { toPerson, type PublicUser } from '../../shared/people.js';

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

export type { PublicUser } from '../../shared/people.js';

/** The client-visible shape of a user (the one mapping, src/lib/shared/people.ts). */
export function publicUser(user: Pick<SessionUser, 'id' | 'username' | 'displayName' | 'avatarUrl'>): PublicUser {
	return toPerson(user);
}
