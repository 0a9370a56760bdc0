// Plain shapes the people components draw (contacts, members, profile cards); no hub, no Yjs.

export type Role = 'owner' | 'admin' | 'member' | 'subscriber';
export type Kind = 'direct' | 'group' | 'channel';

/** A person as shown on a card or in a list. */
export interface PersonView {
	id: string;
	username: string;
	displayName: string;
	avatarUrl?: string | null;
}

/** Whether someone is online (as their privacy allows). */
export interface PresenceView {
	online: boolean;
	lastSeenAt?: number;
}

/** One contact: the person and the name I gave them. */
export interface ContactView extends PersonView {
	alias: string | null;
}

/** One member of a conversation. */
export interface MemberView {
	user: PersonView;
	role: Role;
	joinedAt: string;
}

/** The conversation the info panel describes. */
export interface InfoView {
	id: string;
	kind: Kind;
	title: string;
	description?: string;
	avatarUrl: string | null;
	memberCount: number;
	role: Role;
	muted: boolean;
	pinned: boolean;
	archived: boolean;
	public?: boolean;
	other?: PersonView & { alias?: string };
}

/** A live invite link (`url` only right after it was made: links are shown once). */
export interface InviteView {
	id: string;
	createdAt: string;
	url?: string;
}
