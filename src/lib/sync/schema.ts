/**
 * The shape of Parley's Yjs documents, in one place: root type names, value types, key formats
 * and limits. Shared by the browser and the relay; see docs/document-schema.md.
 */
import * as Y from 'yjs';
import type { ConversationKind, Role } from './context.js';

/** Root types of a conversation document that clients write (each under its own rule). */
export const CONVERSATION_ROOTS = {
	messages: 'messages',
	edits: 'edits',
	reactions: 'reactions',
	reads: 'reads',
	pins: 'pins'
} as const;

/** Root types written only by the server (clients may read them, never write). */
export const SERVER_ROOTS = {
	/** conversation document: `meta` map, key → server-maintained value (see MetaKey). */
	meta: 'meta',
	/** inbox document: `conversations` map, conversation id → InboxEntry. */
	inbox: 'conversations'
} as const;

/** Root type of a user's private drafts document (R26). */
export const DRAFTS_ROOTS = {
	/** `drafts` map: conversation id → DraftValue */
	drafts: 'drafts'
} as const;

/** Name of a root type a client may write in a conversation document. */
export type ClientRootName = (typeof CONVERSATION_ROOTS)[keyof typeof CONVERSATION_ROOTS];
/** Name of any root type Parley knows. */
export type RootName = ClientRootName | (typeof SERVER_ROOTS)[keyof typeof SERVER_ROOTS] | (typeof DRAFTS_ROOTS)[keyof typeof DRAFTS_ROOTS];

/** Whether a root type is a Y.Array (items without key) or a Y.Map (items under a key). */
export type RootShape = 'array' | 'map';

/** Every root Parley knows, with its shape and whether clients may write it. */
export const ROOT_TYPES: Readonly<Record<RootName, { shape: RootShape; clientWritable: boolean }>> = {
	messages: { shape: 'array', clientWritable: true },
	edits: { shape: 'map', clientWritable: true },
	reactions: { shape: 'map', clientWritable: true },
	reads: { shape: 'map', clientWritable: true },
	pins: { shape: 'map', clientWritable: true },
	meta: { shape: 'map', clientWritable: false },
	conversations: { shape: 'map', clientWritable: false },
	drafts: { shape: 'map', clientWritable: true }
};

/** Root names allowed in a conversation document (direct, group, channel). */
export const CONVERSATION_DOC_ROOTS: ReadonlySet<RootName> = new Set<RootName>(['messages', 'edits', 'reactions', 'reads', 'pins', 'meta']);
/** Root names allowed in an inbox document (all server-only). */
export const INBOX_DOC_ROOTS: ReadonlySet<RootName> = new Set<RootName>(['conversations']);
/** Root names allowed in a drafts document (R26). */
export const DRAFTS_DOC_ROOTS: ReadonlySet<RootName> = new Set<RootName>(['drafts']);

/**
 * Limits of what a client may write. Each exists so that one user cannot make a document
 * (which every member downloads and keeps offline) expensive for everyone else.
 */
export const SYNC_LIMITS = {
	/** message ids, user ids, device ids, upload ids, sticker ids: short opaque tokens */
	maxIdLength: 64,
	/** Markdown source of a message or an edit, in UTF-8 bytes (16 KiB) */
	maxTextBytes: 16 * 1024,
	/** attachments on one message */
	maxAttachments: 10,
	/** an attachment's same-origin URL path */
	maxUrlLength: 512,
	/** an attachment's MIME type (RFC 6838 caps type/subtype at 127 characters each) */
	maxMimeLength: 127,
	/** an attachment's file name */
	maxFileNameLength: 255,
	/** an attachment's inline blur placeholder (a `data:image/webp;base64,…` URL of a few hundred bytes) */
	maxPlaceholderLength: 2048,
	/** an audio or video attachment's duration, in seconds (a day) */
	maxMediaDurationSeconds: 86_400,
	/** width/height of an image or video, in pixels */
	maxMediaDimension: 100_000,
	/** distinct emoji one user puts on one message */
	maxEmojiPerReaction: 8,
	/** one emoji in UTF-16 units (ZWJ families and flags with modifiers stay under this) */
	maxEmojiLength: 32,
	/**
	 * people one message mentions (`mentions`, R28): each is a member check and, server side, a
	 * notification that may reach someone in a muted group; a person names a handful at most
	 */
	maxMentions: 20,
	/*
	 * Bounds on one update (rules L1–L7 of docs/sync-rules.md). They keep the work of checking
	 * and applying an update linear in its size: Yjs applies every delete range on its own (a
	 * binary search, then a walk over the structs it covers, splitting the live ones), so an
	 * update's cost is not its byte count unless its shape is bounded too.
	 */
	/**
	 * L1: delete ranges in one update, as sent (before merging). A stock client sends one range per
	 * run of deleted clocks of each client id, the whole document's in sync step 2; a 1 MiB frame
	 * holds at most ~350 000 ranges, so this is within 4× of what the frame limit allows anyway
	 */
	maxDeleteRanges: 100_000,
	/**
	 * L3: structs (new or already known) in one update. Each is decoded, resolved, checked and
	 * integrated; an honest update carries what one user wrote since the last sync (consecutive
	 * messages of one device merge into one struct)
	 */
	maxStructs: 10_000,
	/**
	 * L4: client ids one update binds to the sender. Each binding is stored and kept in memory
	 * for the document's lifetime; an honest device takes one per session that wrote offline
	 */
	maxNewClients: 64,
	/**
	 * L5: delete ranges (after merging) that reach live content or this update's new items. Yjs
	 * may split an item at each end of such a range, and a split inserts into the client's struct
	 * array (a copy as long as that array); honest clients delete one message, or one offline
	 * batch, at a time
	 */
	maxLiveDeleteRanges: 1_000,
	/**
	 * L6: ids (clocks) of live server content one update deletes, summed over its ranges, so that
	 * splitting a range cannot multiply it. Each live message deleted is a row the projection
	 * deletes; an honest update deletes what one user selected
	 */
	maxLiveDeletedIds: 10_000,
	/**
	 * L7: items Yjs may walk over, summed over one update, to place its new items between their
	 * neighbours (concurrent inserts at the same place). An honest update pays for what others
	 * inserted there meanwhile, e.g. the messages that arrived while its sender was offline;
	 * an item forged to land far from its neighbours makes Yjs walk the whole list per item
	 */
	maxIntegrationScan: 200_000
} as const;

/** Message ids, user ids and device ids: URL-safe tokens (uuid, nanoid, ULID), no ':' so keys split. */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** What a message is; `system` messages are written only by the server. */
export type MessageKind = 'text' | 'media' | 'sticker' | 'system';
/** Every MessageKind, for validation. */
export const MESSAGE_KINDS: ReadonlySet<string> = new Set<MessageKind>(['text', 'media', 'sticker', 'system']);

/** A file attached to a message; mirrors the upload API answer (`url` is a same-origin path). */
export interface Attachment {
	id: string;
	url: string;
	mime: string;
	size: number;
	name?: string;
	width?: number;
	height?: number;
	/** a smaller picture to show first: an image's thumbnail, or a video's poster frame (an upload URL of this conversation, R27) */
	thumbUrl?: string;
	/** a tiny blurred preview as a `data:image/…;base64,` URL, shown while the image loads */
	placeholder?: string;
	/** length of audio or video, in seconds (the uploading browser measures it) */
	duration?: number;
}

/** A sticker reference: the UI maps (pack, id) to an image. */
export interface StickerRef {
	pack: string;
	id: string;
}

/** One message as stored (plain object, never changed in place) in `messages`. */
export interface Envelope {
	id: string;
	author: string;
	/** ms since the epoch, as claimed by the author's device */
	createdAt: number;
	/** Markdown source, may be empty */
	text: string;
	/** absent means "text" */
	kind?: MessageKind;
	attachments?: Attachment[];
	/** id of the message this one answers */
	replyTo?: string;
	/** required when kind is "sticker", forbidden otherwise */
	sticker?: StickerRef;
	/**
	 * user ids this message mentions (`@name` in the text is only how it looks): 1..maxMentions
	 * distinct ids, each a member of the conversation when sent (R28). A mention notifies that
	 * person even in a muted group (docs/notifications.md)
	 */
	mentions?: string[];
}

/** What a system envelope records (written by the server only; R12 refuses them from clients). */
export type SystemEvent =
	'created' | 'member_added' | 'member_joined' | 'member_removed' | 'member_left' | 'role_changed' | 'title_changed';

/** The `system` field of a system envelope: the event and whom it concerns. */
export interface SystemInfo {
	event: SystemEvent;
	/** the member added, joined, removed, left or re-roled */
	userId?: string;
	/** the new role (member_added, member_joined, role_changed) */
	role?: Role;
	/** the new title (created, title_changed) */
	title?: string;
}

/**
 * A membership or settings change, appended to `messages` by the server: `author` is the user who
 * acted, `text` is empty (clients render `system`). Not an `Envelope` a client may write.
 */
export interface SystemEnvelope extends Omit<Envelope, 'kind'> {
	kind: 'system';
	system: SystemInfo;
}

/** Value in `edits`: the message's current text replacing the envelope's. */
export interface EditValue {
	text: string;
	editedAt: number;
}

/** Value in `reactions`: the distinct emoji one user put on one message. */
export type ReactionValue = string[];

/** Value in `reads`: the newest message a user (or one of their devices) has read. */
export interface ReadValue {
	messageId: string;
	at: number;
}

/** Value in `pins`: who pinned the message and when. */
export interface PinValue {
	by: string;
	at: number;
}

/** Keys the server writes in a conversation's `meta` map. */
export type MetaKey = 'title' | 'kind' | 'createdAt' | 'description' | 'avatarUrl';

/** The last message of a conversation, as its inbox entry shows it. */
export interface InboxLastMessage {
	id: string;
	authorId: string;
	authorName: string;
	kind: string;
	/** the start of the message's Markdown source (render as text) */
	preview: string;
	at: number;
}

/**
 * Value in an inbox document's `conversations` map, keyed by conversation id: everything the
 * conversation list shows, written by the server only. Sort by `pinned`, then `activityAt`.
 */
export interface InboxEntry {
	conversationId: string;
	docName: string;
	kind: ConversationKind;
	/** a group's or channel's title; for a direct conversation, the other person's display name */
	title: string;
	avatarUrl: string | null;
	/** for a direct conversation: the other person's user id (presence is keyed by it) */
	peerId?: string;
	role: Role;
	lastMessage: InboxLastMessage | null;
	/** messages by others (not system notices) after the owner's read position, capped at 999 */
	unread: number;
	/**
	 * an unread message (after the owner's read position, not deleted) mentions the owner (its
	 * envelope's `mentions`): the chat list's "@" mark. Absent in entries written before it existed: false
	 */
	mentioned?: boolean;
	muted: boolean;
	pinned: boolean;
	archived: boolean;
	/** ms since the epoch of the last message, or of the conversation's creation */
	activityAt: number;
}

/** Separator inside composite map keys; ID_PATTERN excludes it so keys parse unambiguously. */
export const KEY_SEPARATOR = ':';

/** Whether `value` is a well-formed id (message, user, device, upload, sticker). */
export function isValidId(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0 && value.length <= SYNC_LIMITS.maxIdLength && ID_PATTERN.test(value);
}

/** Key in `reactions` for `userId`'s reaction to `messageId`. */
export function reactionKey(messageId: string, userId: string): string {
	return messageId + KEY_SEPARATOR + userId;
}

/** Parses a `reactions` key, or null if it is not `<messageId>:<userId>` with valid ids. */
export function parseReactionKey(key: string): { messageId: string; userId: string } | null {
	const parts = key.split(KEY_SEPARATOR);
	if (parts.length !== 2 || !isValidId(parts[0]) || !isValidId(parts[1])) return null;
	return { messageId: parts[0], userId: parts[1] };
}

/** Key in `reads` for a user, optionally per device (each device advances its own key). */
export function readKey(userId: string, device?: string): string {
	return device === undefined ? userId : userId + KEY_SEPARATOR + device;
}

/** Parses a `reads` key, or null if it is not `<userId>` or `<userId>:<device>` with valid ids. */
export function parseReadKey(key: string): { userId: string; device?: string } | null {
	const parts = key.split(KEY_SEPARATOR);
	if (parts.length === 1 && isValidId(parts[0])) return { userId: parts[0] };
	if (parts.length === 2 && isValidId(parts[0]) && isValidId(parts[1])) return { userId: parts[0], device: parts[1] };
	return null;
}

/** The typed root types of a conversation document. */
export interface ConversationTypes {
	messages: Y.Array<Envelope>;
	edits: Y.Map<EditValue>;
	reactions: Y.Map<ReactionValue>;
	reads: Y.Map<ReadValue>;
	pins: Y.Map<PinValue>;
	meta: Y.Map<unknown>;
}

/** Gets (creating if needed) the typed root types of a conversation document. */
export function conversationTypes(doc: Y.Doc): ConversationTypes {
	return {
		messages: doc.getArray<Envelope>(CONVERSATION_ROOTS.messages),
		edits: doc.getMap<EditValue>(CONVERSATION_ROOTS.edits),
		reactions: doc.getMap<ReactionValue>(CONVERSATION_ROOTS.reactions),
		reads: doc.getMap<ReadValue>(CONVERSATION_ROOTS.reads),
		pins: doc.getMap<PinValue>(CONVERSATION_ROOTS.pins),
		meta: doc.getMap<unknown>(SERVER_ROOTS.meta)
	};
}

/** Gets (creating if needed) the `conversations` map of an inbox document. */
export function inboxEntries(doc: Y.Doc): Y.Map<InboxEntry> {
	return doc.getMap<InboxEntry>(SERVER_ROOTS.inbox);
}

/**
 * A draft in the drafts document: the composer's text for one conversation and when it was typed
 * (ms). Last writer wins per conversation: a draft is one person's text, rarely typed on two
 * devices at once, and plain values are all the relay accepts (R6).
 */
export interface DraftValue {
	text: string;
	at: number;
}

/** The drafts map of a drafts document. */
export function draftEntries(doc: Y.Doc): Y.Map<DraftValue> {
	return doc.getMap<DraftValue>(DRAFTS_ROOTS.drafts);
}
