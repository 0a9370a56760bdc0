// Plain shapes the people components draw (contacts, members, profile cards); no hub, no Yjs.

import type { ConversationKind, Role } from '$lib/shared/roles';
import type { PublicUser } from '$lib/shared/people';
export type { Role };
export type Kind = ConversationKind;

/** A person as shown on a card or in a list (SPEC §3's `user`). */
export type PersonView = PublicUser;

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

/** What the conversation info panel does (ConversationInfoState is passed as it is). */
export interface ConversationInfoActions {
	edit(changes: { title: string; description: string }): Promise<void>;
	setPicture(image: File): Promise<void>;
	addMember(userId: string): Promise<void>;
	removeMember(userId: string): Promise<void>;
	setRole(userId: string, role: Role): Promise<void>;
	/** an owner may name who takes over (else the server picks, C4) */
	leave(newOwner?: string): Promise<void>;
	delete(): Promise<void>;
	settings(changes: { muted?: boolean; pinned?: boolean; archived?: boolean }): Promise<void>;
	/** the new link's address is then shown once (`newLink`) */
	createInvite(): Promise<unknown>;
	revokeInvite(inviteId: string): Promise<void>;
}

/** The people around the info panel (the hub's). */
export interface InfoPeople {
	/** my user id */
	me: string;
	presenceOf(userId: string): PresenceView | undefined;
	/** people offered to add (my contacts) */
	candidates: PersonView[];
	search(query: string): Promise<PersonView[]>;
	/** opens a person's profile card */
	show(userId: string): void;
	block(person: PersonView): Promise<void>;
}
