/**
 * Plain data the client layer hands to pages and components (no Yjs inside). Components take
 * these and callbacks, never a `Y.Doc`.
 */

import type { ReactionSummary, ReplyPreview } from '../sync/message-extras.js';
export type { PinItem, ReactionSummary, ReplyPreview } from '../sync/message-extras.js';
export type { MessagePermissions } from '../../shared/roles.js';
import type { PublicUser } from '../../shared/people.js';
import type { ConversationKind, MessageKind, Role } from '../../shared/roles.js';

/** The signed-in user (what `GET /api/me` answers as `user`, plus the inbox document name). */
export interface Me {
	id: string;
	username: string;
	displayName: string;
	avatarUrl?: string | null;
	/** `inbox.<id>`; absent in an old cache: derived from the id */
	inboxDocName?: string;
}

/** App or document status; `up-to-date` only once the relay answered (never from IndexedDB alone). */
export type SyncStatus = 'offline' | 'connecting' | 'syncing' | 'up-to-date';

/** An own message's delivery state; only ever moves forward. */
export type MessageState = 'pending' | 'sent' | 'read';

/** Why a conversation can no longer be opened (close codes 4403 / 4404). */
export type RemovedReason = 'removed' | 'deleted';

/** The whole app's connection, for a status bar. */
export interface Connectivity {
	status: SyncStatus;
	/** the browser thinks it has a network (navigator.onLine) */
	online: boolean;
	/** writes of every open conversation not yet confirmed by the relay */
	pendingCount: number;
	/** the session ended (4401): the app must sign out */
	signedOut: boolean;
}

/** One row of the chat list (from the inbox document, plus presence and typing). */
export interface InboxItem {
	conversationId: string;
	docName: string;
	kind: ConversationKind;
	title: string;
	avatarUrl?: string;
	/** the other person of a direct conversation */
	peerId?: string;
	/** my role in it */
	role: Role;
	lastMessage?: { authorId: string; authorName?: string; preview: string; at: number };
	unread: number;
	/** an unread message mentions me (the chat list's "@") */
	mentioned?: boolean;
	muted: boolean;
	pinned: boolean;
	archived: boolean;
	/** direct only: the other person is online (as their privacy allows) */
	online?: boolean;
	/** names of people typing (only for conversations open or pooled) */
	typing: string[];
	activityAt: number;
}

/** One message as shown. */
export interface MessageView {
	id: string;
	authorId: string;
	authorName: string;
	createdAt: number;
	/** Markdown source (render with `renderMarkdown` of `$lib/client/markdown`) */
	text: string;
	kind: MessageKind;
	own: boolean;
	edited: boolean;
	/** own messages only: pending → sent → read, never backwards */
	state?: MessageState;
	/** system notices: what happened (render it, the text is empty) */
	system?: { event: string; userId?: string; role?: string; title?: string };
	/** media messages: the attachments (the caption is `text`) */
	attachments?: AttachmentItem[];
	/** a pending media message whose upload failed for good: the reason (retry or remove) */
	uploadError?: string;
	/** sticker messages */
	sticker?: { pack: string; id: string };
	/** the message this one answers (`deleted` when it is gone) */
	replyTo?: ReplyPreview;
	/** people this message mentions (R28), `me` marking the signed-in user */
	mentions?: { id: string; me: boolean }[];
	/** reaction chips, most used first */
	reactions?: ReactionSummary[];
	/** pinned in the conversation */
	pinned?: boolean;
}

/** A person as the client caches and shows them (SPEC §3's `user`). */
export type Person = PublicUser;

/**
 * One attachment as the chat shows it: from the envelope once uploaded, or a local file while its
 * message waits for its uploads (then `localUrl` previews it and `progress` tells how far it is).
 */
export interface AttachmentItem {
	/** the upload id, or a local id while pending */
	id: string;
	kind: 'image' | 'video' | 'audio' | 'file';
	mime: string;
	size: number;
	name?: string;
	/** the served file, once uploaded */
	url?: string;
	thumbUrl?: string;
	placeholder?: string;
	width?: number;
	height?: number;
	/** seconds (audio, video) */
	duration?: number;
	/** an object URL of the local file, while pending */
	localUrl?: string;
	/** 0..1 while uploading */
	progress?: number;
	/** the upload failed (retry offered) */
	failed?: boolean;
}
