/**
 * A person, one shape everywhere: the `user` object of SPEC §3 as the server answers it, the
 * client caches it and the screens draw it, and the one mapping to it.
 */

/** The `user` object of SPEC §3. */
export interface PublicUser {
	id: string;
	username: string;
	displayName: string;
	avatarUrl?: string;
}

/** Anything that carries a user's public fields (a session user, an API answer, a member row). */
export interface UserFields {
	id: string;
	username: string;
	displayName: string;
	avatarUrl?: string | null;
}

/** The person as shown and cached: only the public fields, no empty avatar. */
export function toPerson(user: UserFields): PublicUser {
	return {
		id: user.id,
		username: user.username,
		displayName: user.displayName,
		...(user.avatarUrl ? { avatarUrl: user.avatarUrl } : {})
	};
}

/** Whether two people show the same (nothing to store or redraw). */
export function samePerson(a: PublicUser, b: PublicUser): boolean {
	return a.id === b.id && a.username === b.username && a.displayName === b.displayName && a.avatarUrl === b.avatarUrl;
}
