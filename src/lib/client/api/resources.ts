/** One typed function per API resource the app uses (SPEC §3). */
import type { Http } from './http.js';
import { peopleApi } from './people.js';

import type { PublicUser } from '../../shared/people.js';
import type { ConversationKind, Role } from '../../shared/roles.js';

/** A user as the API shows them (SPEC §3's `user`). */
export type ApiUser = PublicUser;

/** SPEC §3's conversation object, as the client reads it. */
export interface ApiConversation {
	id: string;
	kind: ConversationKind;
	title: string;
	docName: string;
	role: Role;
	avatarUrl: string | null;
	memberCount: number;
	muted: boolean;
	pinned: boolean;
	archived: boolean;
	other?: ApiUser & { alias?: string };
	/** groups and channels (empty when none) */
	description?: string;
	/** channels only: listed in channel search, joinable without an invite */
	public?: boolean;
}

/** The API, typed. */
export function createApi(http: Http) {
	return {
		/** GET /api/me */
		me: () => http<{ user: ApiUser; inboxDocName: string }>('GET', '/api/me'),
		/** GET /api/session: `user` null when signed out (no 401 for the console) */
		session: () => http<{ user: ApiUser; inboxDocName: string } | { user: null }>('GET', '/api/session'),
		/** GET /api/users?q= */
		searchUsers: async (q: string) => (await http<{ users: ApiUser[] }>('GET', `/api/users?q=${encodeURIComponent(q)}`)).users,
		/** GET /api/conversations */
		conversations: async () => (await http<{ conversations: ApiConversation[] }>('GET', '/api/conversations')).conversations,
		/** GET /api/conversations/:id */
		conversation: async (id: string) =>
			(await http<{ conversation: ApiConversation }>('GET', `/api/conversations/${encodeURIComponent(id)}`)).conversation,
		/** POST /api/conversations {kind: 'direct', userId}: the existing one if any */
		openDirect: async (userId: string) =>
			(await http<{ conversation: ApiConversation }>('POST', '/api/conversations', { kind: 'direct', userId })).conversation,
		/** POST /api/conversations/:id/read {messageId}: the private read position (receipts off) */
		markRead: (conversationId: string, messageId: string) =>
			http<void>('POST', `/api/conversations/${encodeURIComponent(conversationId)}/read`, { messageId }),
		/** GET /api/me/privacy: whether read positions may go into shared documents (R24) */
		privacy: async () => (await http<{ privacy: { readReceipts: boolean } }>('GET', '/api/me/privacy')).privacy,
		/** POST /api/auth/logout */
		logout: () => http<void>('POST', '/api/auth/logout'),
		...peopleApi(http)
	};
}

export type Api = ReturnType<typeof createApi>;
