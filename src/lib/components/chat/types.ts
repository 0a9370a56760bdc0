// Plain shapes the chat components draw. They mirror the client layer's views structurally, so
// components take data and callbacks and never see Yjs or the hub.
import type { AttachmentItem, ReactionSummary, ReplyPreview } from '$lib/client/state/types';
import type { ConversationKind, MessageKind } from '$lib/shared/roles';
import type { PublicUser } from '$lib/shared/people';

/** Connection and sync state, as the client layer reports it. */
export type SyncStatus = 'offline' | 'connecting' | 'syncing' | 'up-to-date';

/** An own message's delivery state (monotonic: pending → sent → read). */
export type MessageState = 'pending' | 'sent' | 'read';

/** One row of the chat list. */
export interface ChatListEntry {
	conversationId: string;
	kind: ConversationKind;
	title: string;
	avatarUrl?: string | null;
	lastMessage?: { authorId: string; authorName?: string; preview: string; at: number } | null;
	unread: number;
	/** an unread message mentions me: "@" */
	mentioned?: boolean;
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
	kind?: MessageKind;
	own: boolean;
	state?: MessageState;
	system?: SystemFacts;
	/** media messages: the files, in order (the caption is `text`) */
	attachments?: AttachmentItem[];
	/** a pending media message that failed for good: why (retry or remove) */
	uploadError?: string;
	/** sticker messages: which sticker */
	sticker?: { pack: string; id: string };
	/** the message this one answers */
	replyTo?: ReplyPreview;
	/** people it mentions; `me`: the signed-in user */
	mentions?: { id: string; me: boolean }[];
	/** reaction chips */
	reactions?: ReactionSummary[];
	/** pinned in the conversation */
	pinned?: boolean;
	/** edited after it was sent */
	edited?: boolean;
}

export type { AttachmentItem, MessagePermissions, PinItem, ReactionSummary, ReplyPreview } from '$lib/client/state/types';

/** A person found by the new-chat search (SPEC §3's `user`). */
export type PersonResult = PublicUser;

/** What a message row can do besides showing the message (the chat view's handlers). */
export interface RowActions {
	/** opens the message's actions menu by `opener`, or at a pointer position (right-click, long press) */
	open(messageId: string, opener: HTMLElement, at?: { x: number; y: number }): void;
	/** adds or removes my reaction */
	toggleReaction(messageId: string, emoji: string): void;
	/** scrolls to a message (a reply's quote), loading history as needed */
	jump(messageId: string): void;
	/** I may react in this conversation */
	canReact: boolean;
}

/** A choice of a message's actions menu (reacting has its own bar). */
export type MessageAction = 'reply' | 'edit' | 'pin' | 'unpin' | 'delete' | 'readBy';
