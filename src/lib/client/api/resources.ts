/** One typed function per API resource the app uses (SPEC §3). */
import type { Http } from './http.js';
import { peopleApi } from './people.js';

import type { PublicUser } from '../../shared/people.js';
import type { ConversationKind, Role } from '../../shared/roles.js';
import type { MessageHit } from '$lib/search/hit';

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

/** `GET /api/search`'s query (docs/search.md): `after`/`before` are ISO 8601. */
export interface ApiSearchParams {
	q: string;
	conversationId?: string;
	from?: string;
	after?: string;
	before?: string;
	cursor?: string;
}

/** One message found by `GET /api/search` (the shape both sides share). */
export type ApiMessageHit = MessageHit;

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
		/** GET /api/search (docs/search.md): messages of my conversations matching `q`, a page at a time */
		searchMessages: (params: ApiSearchParams) => {
			const query = new URLSearchParams();
			for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
			return http<{ messages: ApiMessageHit[]; nextCursor: string | null }>('GET', `/api/search?${query}`);
		},
		...peopleApi(http)
	};
}

export type Api = ReturnType<typeof createApi>;
