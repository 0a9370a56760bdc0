// Plain shapes the chat components draw. They mirror the client layer's views structurally, so
// components take data and callbacks and never see Yjs or the hub.
import type { AttachmentItem } from '$lib/client/state/types';

/** Connection and sync state, as the client layer reports it. */
export type SyncStatus = 'offline' | 'connecting' | 'syncing' | 'up-to-date';

/** An own message's delivery state (monotonic: pending → sent → read). */
export type MessageState = 'pending' | 'sent' | 'read';

/** One row of the chat list. */
export interface ChatListEntry {
	conversationId: string;
	kind: 'direct' | 'group' | 'channel';
	title: string;
	avatarUrl?: string | null;
	lastMessage?: { authorId: string; authorName?: string; preview: string; at: number } | null;
	unread: number;
	muted: boolean;
	pinned: boolean;
	archived: boolean;
	online?: boolean;
	typing: string[];
}

/** A system notice's facts (membership and title changes), rendered as a sentence. */
export interface SystemFacts {
	event: string;
	userId?: string;
	role?: string;
	title?: string;
}

/** Names and avatars of people by id (the client layer's profile cache). */
export interface People {
	name(userId: string): string;
	avatarUrl(userId: string): string | undefined | null;
}

/** One message of the chat view. */
export interface MessageItem {
	id: string;
	authorId: string;
	authorName: string;
	createdAt: number;
	text: string;
	kind?: string;
	own: boolean;
	state?: MessageState;
	system?: SystemFacts;
	/** media messages: the files, in order (the caption is `text`) */
	attachments?: AttachmentItem[];
	/** a pending media message that failed for good: why (retry or remove) */
	uploadError?: string;
	/** sticker messages: which sticker */
	sticker?: { pack: string; id: string };
}

export type { AttachmentItem } from '$lib/client/state/types';

/** A person found by the new-chat search. */
export interface PersonResult {
	id: string;
	username: string;
	displayName: string;
	avatarUrl?: string | null;
}
