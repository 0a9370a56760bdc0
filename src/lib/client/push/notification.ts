/**
 * What a notification says, from a push payload (docs/notifications.md#payload) or from the app's
 * own chat list while it is open but hidden. Pure: shared by the service worker, the page and
 * their tests. Texts come from the app's messages in the locale given (the worker has no page).
 */
import * as m from '$lib/i18n/paraglide/messages.js';
import { conversationTag } from './protocol.js';

export { conversationTag, titleWithUnread } from './protocol.js';

/** The languages notifications are written in. */
export type NotifyLocale = 'en' | 'ru';

/** The action id of "Mark as read" on a message notification. */
export const MARK_READ_ACTION = 'read';

/** Fields every push has. */
interface PushBase {
	v: 1;
	conversationId: string;
	tag: string;
}
/** A new message (or several) in a conversation. */
export interface MessagePush extends PushBase {
	kind: 'message';
	url: string;
	count: number;
	messageId?: string;
	at?: number;
	mention?: boolean;
	sender?: { id: string; name: string };
	conversation?: { kind: 'direct' | 'group' | 'channel'; title: string };
	text?: string;
	messageKind?: 'media' | 'sticker';
	attachments?: number;
}
/** Someone reacted to my message. */
export interface ReactionPush extends PushBase {
	kind: 'reaction';
	url: string;
	messageId?: string;
	sender?: { id: string; name: string };
	conversation?: { kind: 'direct' | 'group' | 'channel'; title: string };
	emoji?: string[];
}
/** I read the conversation on some device: close its notification. */
export interface ReadPush extends PushBase {
	kind: 'read';
}
/** A push the app understands. */
export type PushPayload = MessagePush | ReactionPush | ReadPush;

/** What `notificationclick` finds in `notification.data`. */
export interface NotificationData {
	url: string;
	conversationId: string;
	messageId?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The payload of a push, or null for one this version does not know (ignored, shows nothing). */
export function parsePush(data: unknown): PushPayload | null {
	if (!isObject(data) || data.v !== 1 || typeof data.conversationId !== 'string' || data.conversationId === '') return null;
	const tag = typeof data.tag === 'string' && data.tag !== '' ? data.tag : conversationTag(data.conversationId);
	const url = typeof data.url === 'string' && data.url.startsWith('/') ? data.url : `/c/${data.conversationId}`;
	const base = { ...data, v: 1 as const, conversationId: data.conversationId, tag };
	if (data.kind === 'read') return { v: 1, kind: 'read', conversationId: data.conversationId, tag };
	if (data.kind === 'message')
		return { ...base, kind: 'message', url, count: typeof data.count === 'number' && data.count > 0 ? data.count : 1 };
	if (data.kind === 'reaction') return { ...base, kind: 'reaction', url };
	return null;
}

/** A notification to show: `registration.showNotification(title, options)`. */
export interface NotificationPlan {
	title: string;
	options: NotificationOptions & { renotify?: boolean; actions?: { action: string; title: string }[] };
}

/** The locale for a worker or page from the browser's languages. */
export function notifyLocale(languages: readonly string[]): NotifyLocale {
	for (const l of languages) {
		const base = l.toLowerCase().split('-')[0];
		if (base === 'ru') return 'ru';
		if (base === 'en') return 'en';
	}
	return 'en';
}

/** The body of a message notification (what the payload allows, nothing more). */
function messageBody(p: MessagePush, locale: NotifyLocale): string {
	const o = { locale };
	const many = p.count > 1 ? m.notify_new_messages({ count: p.count }, o) : '';
	if (!p.sender) return many || m.notify_new_message({}, o);
	let what = p.text ?? '';
	if (p.text !== undefined && what.trim() === '') {
		if (p.messageKind === 'sticker') what = m.notify_sticker({}, o);
		else if (p.messageKind === 'media') what = m.notify_attachment({}, o);
	}
	// a group's line names who wrote; a direct chat's title is the person already
	const who = p.conversation && p.conversation.kind !== 'direct' ? `${p.sender.name}: ` : '';
	const line = p.text !== undefined ? `${who}${what}` : p.conversation?.kind === 'direct' ? '' : p.sender.name;
	return [many, line].filter(Boolean).join('\n') || m.notify_new_message({}, o);
}

/** The notification for a message or reaction push; null for `read` (close, show nothing). */
export function notificationFor(p: PushPayload, locale: NotifyLocale): NotificationPlan | null {
	if (p.kind === 'read') return null;
	const o = { locale };
	const data: NotificationData = { url: p.url, conversationId: p.conversationId, ...(p.messageId ? { messageId: p.messageId } : {}) };
	const title = p.conversation?.title ?? p.sender?.name ?? m.app_name({}, o);
	if (p.kind === 'reaction') {
		const who = p.sender?.name;
		const body = who ? m.notify_reaction({ name: who, emoji: (p.emoji ?? []).join(' ') }, o).trim() : m.notify_reaction_anonymous({}, o);
		return { title, options: { tag: p.tag, body, data } };
	}
	const mention = p.mention ? `@ ` : '';
	return {
		title: mention + title,
		options: {
			tag: p.tag,
			body: messageBody(p, locale),
			data,
			renotify: true,
			icon: '/icons/icon-192.png',
			badge: '/icons/icon-192.png',
			actions: [{ action: MARK_READ_ACTION, title: m.notify_mark_read({}, o) }]
		}
	};
}

/** The conversation id a window at `url` shows, or null (the app's chat route is `/c/<id>`). */
export function conversationOfUrl(url: string): string | null {
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		return null;
	}
	const match = /^\/c\/([^/]+)\/?$/.exec(path);
	return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** A window as the worker sees it (`WindowClient`'s fields used here). */
export interface WindowView {
	url: string;
	focused: boolean;
	visibilityState: DocumentVisibilityState;
}

/** True when a visible, focused window shows this conversation: then a push shows nothing. */
export function lookingAt(windows: readonly WindowView[], conversationId: string): boolean {
	return windows.some((w) => w.focused && w.visibilityState === 'visible' && conversationOfUrl(w.url) === conversationId);
}
