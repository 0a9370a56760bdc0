/**
 * The API around the chats (docs/conversations.md): contacts and blocks, creating groups and
 * channels, members and roles, invite links, per-member settings, the conversation picture.
 */
import type { Http } from './http.js';
import type { ApiConversation, ApiUser } from './resources.js';

/** One of my contacts: the person and the name I gave them. */
export interface ApiContact {
	user: ApiUser;
	alias: string | null;
	createdAt: string;
}

/** Someone I blocked. */
export interface ApiBlocked {
	user: ApiUser;
	blockedAt: string;
}

/** One member of a conversation. */
export interface ApiMember {
	user: ApiUser;
	role: ApiConversation['role'];
	joinedAt: string;
}

/** A live invite link as listed (its token is shown once, at creation). */
export interface ApiInvite {
	id: string;
	createdBy: string;
	createdAt: string;
}

/** A new invite link: the only time its token is known. */
export interface ApiInviteLink extends ApiInvite {
	token: string;
	url: string;
}

/** What an invite link shows before joining. */
export interface ApiInvitePreview {
	id: string;
	kind: ApiConversation['kind'];
	title: string;
	description: string;
	avatarUrl: string | null;
	memberCount: number;
}

/** My own flags for one conversation. */
export interface ApiSettings {
	muted: boolean;
	pinned: boolean;
	archived: boolean;
}

/** The body of `POST /api/conversations` for a group or a channel. */
export type NewConversation =
	| { kind: 'group'; title: string; description?: string; memberIds?: string[] }
	| { kind: 'channel'; title: string; description?: string; public?: boolean };

const enc = encodeURIComponent;
const conv = (id: string) => `/api/conversations/${enc(id)}`;

/** The functions; spread into `createApi`. */
export function peopleApi(http: Http) {
	return {
		/** GET /api/users/:id */
		user: async (id: string) => (await http<{ user: ApiUser }>('GET', `/api/users/${enc(id)}`)).user,
		/** GET /api/contacts */
		contacts: async () => (await http<{ contacts: ApiContact[] }>('GET', '/api/contacts')).contacts,
		/** POST /api/contacts {username} or {userId}: the contact (existing or new) */
		addContact: async (who: { username: string } | { userId: string }, alias?: string) =>
			(await http<{ contact: ApiContact }>('POST', '/api/contacts', alias ? { ...who, alias } : who)).contact,
		/** PATCH /api/contacts/:userId {alias}: null clears it */
		setAlias: async (userId: string, alias: string | null) =>
			(await http<{ contact: ApiContact }>('PATCH', `/api/contacts/${enc(userId)}`, { alias })).contact,
		/** DELETE /api/contacts/:userId */
		removeContact: (userId: string) => http<void>('DELETE', `/api/contacts/${enc(userId)}`),
		/** GET /api/contacts/block */
		blocked: async () => (await http<{ blocked: ApiBlocked[] }>('GET', '/api/contacts/block')).blocked,
		/** POST /api/contacts/block {userId} */
		block: (userId: string) => http<void>('POST', '/api/contacts/block', { userId }),
		/** DELETE /api/contacts/block/:userId */
		unblock: (userId: string) => http<void>('DELETE', `/api/contacts/block/${enc(userId)}`),
		/** POST /api/conversations for a group or a channel */
		createConversation: async (body: NewConversation) =>
			(await http<{ conversation: ApiConversation }>('POST', '/api/conversations', body)).conversation,
		/** PATCH /api/conversations/:id {title?, description?, public?} */
		editConversation: async (id: string, changes: { title?: string; description?: string; public?: boolean }) =>
			(await http<{ conversation: ApiConversation }>('PATCH', conv(id), changes)).conversation,
		/** DELETE /api/conversations/:id */
		deleteConversation: (id: string) => http<void>('DELETE', conv(id)),
		/** GET /api/conversations/:id/members?limit= */
		members: async (id: string, limit: number) =>
			(await http<{ members: ApiMember[] }>('GET', `${conv(id)}/members?limit=${limit}`)).members,
		/** POST /api/conversations/:id/members {userId} */
		addMember: async (id: string, userId: string) => (await http<{ member: ApiMember }>('POST', `${conv(id)}/members`, { userId })).member,
		/** PATCH /api/conversations/:id/members/:userId {role}: `owner` hands the conversation over */
		setRole: async (id: string, userId: string, role: ApiMember['role']) =>
			(await http<{ member: ApiMember }>('PATCH', `${conv(id)}/members/${enc(userId)}`, { role })).member,
		/** DELETE /api/conversations/:id/members/:userId: removes, or leaves when it is me */
		removeMember: (id: string, userId: string) => http<void>('DELETE', `${conv(id)}/members/${enc(userId)}`),
		/** PATCH /api/conversations/:id/settings */
		settings: async (id: string, changes: Partial<ApiSettings>) =>
			(await http<{ settings: ApiSettings }>('PATCH', `${conv(id)}/settings`, changes)).settings,
		/** PUT /api/conversations/:id/avatar (the image as the body) */
		setPicture: async (id: string, image: Blob) => (await http<{ avatarUrl: string }>('PUT', `${conv(id)}/avatar`, image)).avatarUrl,
		/** DELETE /api/conversations/:id/avatar */
		removePicture: (id: string) => http<void>('DELETE', `${conv(id)}/avatar`),
		/** GET /api/conversations/:id/invites */
		invites: async (id: string) => (await http<{ invites: ApiInvite[] }>('GET', `${conv(id)}/invites`)).invites,
		/** POST /api/conversations/:id/invites */
		createInvite: async (id: string) => (await http<{ invite: ApiInviteLink }>('POST', `${conv(id)}/invites`)).invite,
		/** DELETE /api/conversations/:id/invites/:inviteId */
		revokeInvite: (id: string, inviteId: string) => http<void>('DELETE', `${conv(id)}/invites/${enc(inviteId)}`),
		/** GET /api/invites/:token: the preview */
		invitePreview: async (token: string) =>
			(await http<{ conversation: ApiInvitePreview }>('GET', `/api/invites/${enc(token)}`)).conversation,
		/** POST /api/invites/:token: joins (or is already a member) */
		acceptInvite: async (token: string) =>
			(await http<{ conversation: ApiConversation }>('POST', `/api/invites/${enc(token)}`)).conversation
	};
}
