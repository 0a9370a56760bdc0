/**
 * What a push carries (the plaintext JSON the service worker decrypts), built per recipient from
 * their privacy setting: `full` sender and text, `name` sender only, `none` nothing shown but
 * "New message". Always under `maxBytes`: the text is cut first, then names. The format is the
 * contract with the service worker: docs/notifications.md, "Payload".
 */
import type { NotificationSettings } from './store.js';
import type { ConversationKind } from '../../shared/roles.js';

/** Version of the payload format; the worker ignores a push with a version it does not know. */
export const PAYLOAD_VERSION = 1;

/** Prefix of a notification's tag; the rest is the conversation id (one notification per conversation). */
export const TAG_PREFIX = 'conv:';

/** A new-message push. */
export interface MessagePayload {
	v: typeof PAYLOAD_VERSION;
	kind: 'message';
	conversationId: string;
	/** `showNotification` tag: one notification per conversation, replaced by the next. */
	tag: string;
	/** Where a click goes (same-origin path). */
	url: string;
	/** Messages notified in this conversation since I last read it, this one included ("3 new messages"). */
	count: number;
	/** The newest message this push stands for. */
	messageId: string;
	/** Its `createdAt` (ms). */
	at: number;
	/** Some message this push stands for mentions me or replies to one of mine. */
	mention: boolean;
	/** `full` and `name` only: who wrote the newest message. */
	sender?: { id: string; name: string };
	/** `full` and `name` only: the conversation (its title; a direct one's is the other person's name). */
	conversation?: { kind: ConversationKind; title: string };
	/** `full` only: the newest message's text (Markdown source), cut to the preview length. */
	text?: string;
	/** `full` only: what it is when it is not plain text, so the worker can say "Photo" or "Sticker". */
	messageKind?: 'text' | 'media' | 'sticker';
	/** `full` only, media: how many attachments. */
	attachments?: number;
}

/** A reaction to my message (only with the `reactions` setting on). */
export interface ReactionPayload {
	v: typeof PAYLOAD_VERSION;
	kind: 'reaction';
	conversationId: string;
	tag: string;
	url: string;
	messageId: string;
	at: number;
	/** `full` and `name` only. */
	sender?: { id: string; name: string };
	conversation?: { kind: ConversationKind; title: string };
	/** `full` only: the emoji the person now has on my message. */
	emoji?: string[];
}

/** I read this conversation on some device: close its notification (shows nothing). */
export interface ReadPayload {
	v: typeof PAYLOAD_VERSION;
	kind: 'read';
	conversationId: string;
	tag: string;
}

/** Any push Parley sends. */
export type PushPayload = MessagePayload | ReactionPayload | ReadPayload;

/** A message as the fan-out knows it (from the committed envelope). */
export interface MessageFacts {
	id: string;
	authorId: string;
	authorName: string;
	createdAt: number;
	text: string;
	kind: 'text' | 'media' | 'sticker';
	attachments: number;
}

/** The conversation as the fan-out knows it. */
export interface ConversationFacts {
	id: string;
	kind: ConversationKind;
	/** A group's or channel's title (a direct conversation's is the sender's name). */
	title: string;
}

/** Where a click on a conversation's notification goes. */
export const conversationUrl = (conversationId: string) => `/c/${conversationId}`;

/** The tag of a conversation's notification. */
export const conversationTag = (conversationId: string) => TAG_PREFIX + conversationId;

/** UTF-8 bytes of the JSON of `value`. */
export const payloadBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** `text` cut to at most `max` code points, with "…" when cut (never splits a surrogate pair). */
export function cutText(text: string, max: number): string {
	const points = Array.from(text);
	return points.length <= max ? text : points.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/**
 * Shrinks a payload to `maxBytes`: halves the text until it fits, then drops it, then cuts the
 * names (display names and titles are bounded, but a payload must never depend on that).
 */
function fit<P extends MessagePayload | ReactionPayload>(payload: P, maxBytes: number): P {
	const p = { ...payload } as P & { text?: string };
	while (payloadBytes(p) > maxBytes && p.text !== undefined && p.text.length > 16)
		p.text = cutText(p.text, Math.floor(Array.from(p.text).length / 2));
	if (payloadBytes(p) > maxBytes) delete p.text;
	if (payloadBytes(p) > maxBytes && p.sender) p.sender = { ...p.sender, name: cutText(p.sender.name, 32) };
	if (payloadBytes(p) > maxBytes && p.conversation) p.conversation = { ...p.conversation, title: cutText(p.conversation.title, 32) };
	return p;
}

/** What identifies sender and conversation, as far as the preview setting lets them show. */
function shown(preview: NotificationSettings['preview'], conversation: ConversationFacts, sender: { id: string; name: string }) {
	if (preview === 'none') return {};
	return {
		sender,
		conversation: { kind: conversation.kind, title: conversation.kind === 'direct' ? sender.name : conversation.title }
	};
}

/** The push for new messages, for one recipient. */
export function messagePayload(input: {
	conversation: ConversationFacts;
	message: MessageFacts;
	count: number;
	mention: boolean;
	preview: NotificationSettings['preview'];
	previewMaxChars: number;
	maxBytes: number;
}): MessagePayload {
	const { conversation, message, preview } = input;
	const payload: MessagePayload = {
		v: PAYLOAD_VERSION,
		kind: 'message',
		conversationId: conversation.id,
		tag: conversationTag(conversation.id),
		url: conversationUrl(conversation.id),
		count: input.count,
		messageId: message.id,
		at: message.createdAt,
		mention: input.mention,
		...shown(preview, conversation, { id: message.authorId, name: message.authorName })
	};
	if (preview === 'full') {
		payload.text = cutText(message.text, input.previewMaxChars);
		if (message.kind !== 'text') payload.messageKind = message.kind;
		if (message.attachments > 0) payload.attachments = message.attachments;
	}
	return fit(payload, input.maxBytes);
}

/** The push for a reaction to my message, for me. */
export function reactionPayload(input: {
	conversation: ConversationFacts;
	messageId: string;
	by: { id: string; name: string };
	emoji: string[];
	at: number;
	preview: NotificationSettings['preview'];
	maxBytes: number;
}): ReactionPayload {
	const payload: ReactionPayload = {
		v: PAYLOAD_VERSION,
		kind: 'reaction',
		conversationId: input.conversation.id,
		tag: conversationTag(input.conversation.id),
		url: conversationUrl(input.conversation.id),
		messageId: input.messageId,
		at: input.at,
		...shown(input.preview, input.conversation, input.by)
	};
	if (input.preview === 'full') payload.emoji = input.emoji;
	return fit(payload, input.maxBytes);
}

/** The silent push that closes a conversation's notification on my other devices. */
export function readPayload(conversationId: string): ReadPayload {
	return { v: PAYLOAD_VERSION, kind: 'read', conversationId, tag: conversationTag(conversationId) };
}

/**
 * What is sent when a push waits and a newer one for the same device and conversation arrives:
 * the newer one (it counts the older messages too), keeping a mention flag; a read replaces
 * anything; a reaction never replaces new messages.
 */
export function mergePayloads(waiting: PushPayload, newer: PushPayload): PushPayload {
	if (newer.kind === 'reaction' && waiting.kind === 'message') return waiting;
	if (newer.kind === 'message' && waiting.kind === 'message') return { ...newer, mention: newer.mention || waiting.mention };
	return newer;
}
