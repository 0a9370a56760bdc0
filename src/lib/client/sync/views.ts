/**
 * Plain views of the documents for the screens (no Yjs leaves this module's callers): a window
 * of messages with own messages' states, the first unread message, and the chat list.
 */
import type * as Y from 'yjs';
import { conversationTypes, inboxEntries, parseReadKey, type Envelope, type InboxEntry, type SystemEnvelope } from '../../sync/schema.js';
import type { InboxItem, MessageView } from '../state/types.js';
import { attachmentKind } from '../../sync/uploads.js';
import { MonotonicStates, observedState } from './message-state.js';
import type { WriteOp } from './write-ops.js';
import { reactionSummaries, replyPreviews, type ReactionSummary, type ReplyPreview } from './message-extras.js';

/** What a message window needs besides the document. */
export interface MessageWindowInput {
	doc: Y.Doc;
	me: string;
	/** the newest `size` messages are shown */
	size: number;
	/** writes not yet confirmed: in the document (pending) or queued outside it (restored, recovering) */
	pending: readonly WriteOp[];
	queued: readonly WriteOp[];
	states: MonotonicStates;
	name: (userId: string) => string;
}

/** The newest `size` messages (oldest first), queued sends appended as pending; and whether older ones exist. */
export function messageWindow(input: MessageWindowInput): { messages: MessageView[]; hasOlder: boolean; total: number } {
	const t = conversationTypes(input.doc);
	const total = t.messages.length;
	const start = Math.max(0, total - input.size);
	// only the window is copied: a 10 000-message document costs a list walk, not 10 000 objects
	const shown = t.messages.slice(start);
	const pendingIds = new Set(input.pending.flatMap((op) => (op.kind === 'send' ? [op.envelope.id] : [])));
	const position = new Map<string, number>();
	shown.forEach((m, i) => position.set(m.id, i));
	// the newest message (in the window) any other person has read: own messages up to it are "read";
	// a read position before the window reads nothing shown
	let readUpTo = -1;
	for (const [key, value] of t.reads.entries()) {
		const who = parseReadKey(key)?.userId;
		if (who === undefined || who === input.me) continue;
		readUpTo = Math.max(readUpTo, position.get(value.messageId) ?? -1);
	}
	// replies, reactions and pins of the window (reactions: one walk over their map)
	const replyIds = new Set<string>();
	for (const m of shown) if (m.replyTo) replyIds.add(m.replyTo);
	for (const op of input.queued) if (op.kind === 'send' && op.envelope.replyTo) replyIds.add(op.envelope.replyTo);
	const extras: WindowExtras = {
		replies: replyPreviews(input.doc, replyIds, shown, input.name),
		reactions: reactionSummaries(input.doc, new Set(position.keys()), input.me, input.name),
		pins: t.pins
	};
	const messages: MessageView[] = shown.map((envelope, i) =>
		view(
			input,
			envelope,
			t.edits.get(envelope.id)?.text,
			observedState({ pending: pendingIds.has(envelope.id), readByOthers: i <= readUpTo }),
			extras
		)
	);
	for (const op of input.queued) {
		// queued sends are the newest writes: if the document has one, it is in the window
		if (op.kind === 'send' && !position.has(op.envelope.id)) messages.push(view(input, op.envelope, undefined, 'pending', extras));
	}
	return { messages, hasOlder: start > 0, total };
}

/** Quoted messages, reaction chips and pins of a window. */
interface WindowExtras {
	replies: Map<string, ReplyPreview>;
	reactions: Map<string, ReactionSummary[]>;
	pins: { has(id: string): boolean };
}

function view(
	input: MessageWindowInput,
	envelope: Envelope,
	edited: string | undefined,
	observed: 'pending' | 'sent' | 'read',
	extras: WindowExtras
): MessageView {
	const replyTo = envelope.replyTo ? extras.replies.get(envelope.replyTo) : undefined;
	const reactions = extras.reactions.get(envelope.id);
	const own = envelope.author === input.me;
	const system = (envelope as Partial<SystemEnvelope>).system;
	return {
		id: envelope.id,
		authorId: envelope.author,
		authorName: input.name(envelope.author),
		createdAt: envelope.createdAt,
		text: edited ?? envelope.text,
		kind: envelope.kind ?? 'text',
		own,
		edited: edited !== undefined,
		...(own && envelope.kind !== 'system' ? { state: input.states.next(envelope.id, observed) } : {}),
		...(system ? { system: { ...system } } : {}),
		...(envelope.attachments?.length ? { attachments: envelope.attachments.map((a) => ({ ...a, kind: attachmentKind(a.mime) })) } : {}),
		...(envelope.sticker ? { sticker: { ...envelope.sticker } } : {}),
		...(replyTo ? { replyTo } : {}),
		...(envelope.mentions?.length ? { mentions: envelope.mentions.map((id) => ({ id, me: id === input.me })) } : {}),
		...(reactions ? { reactions } : {}),
		...(extras.pins.has(envelope.id) ? { pinned: true } : {})
	};
}

/** The first message by someone else after `me`'s read position, or null when all is read. */
export function firstUnread(doc: Y.Doc, me: string): string | null {
	const t = conversationTypes(doc);
	const all = t.messages.toArray();
	const mine = new Set<string>();
	for (const [key, value] of t.reads.entries()) if (parseReadKey(key)?.userId === me) mine.add(value.messageId);
	let from = 0;
	for (let i = all.length - 1; i >= 0; i--) {
		if (mine.has(all[i]!.id)) {
			from = i + 1;
			break;
		}
	}
	for (let i = from; i < all.length; i++) {
		const m = all[i]!;
		if (m.author !== me && m.kind !== 'system') return m.id;
	}
	return null;
}

/** Presence as the inbox's awareness carries it (set by the server, A6). */
export interface Presence {
	online: boolean;
	lastSeenAt?: number;
}

/** Presence per user id, from the inbox document's awareness states. */
export function presenceOf(states: Map<number, Record<string, unknown>>): Map<string, Presence> {
	const out = new Map<string, Presence>();
	for (const state of states.values()) {
		const p = state?.presence as { userId?: unknown; online?: unknown; lastSeen?: unknown } | undefined;
		if (!p || typeof p.userId !== 'string') continue;
		out.set(p.userId, { online: p.online === true, ...(typeof p.lastSeen === 'number' ? { lastSeenAt: p.lastSeen } : {}) });
	}
	return out;
}

/** The chat list: pinned first, then by last activity, newest first. */
export function inboxItems(
	doc: Y.Doc,
	presence: Map<string, Presence>,
	typing: (conversationId: string) => string[] = () => []
): InboxItem[] {
	const items: InboxItem[] = [];
	for (const entry of inboxEntries(doc).values()) items.push(item(entry, presence, typing(entry.conversationId)));
	return items.sort(
		(a, b) => Number(b.pinned) - Number(a.pinned) || b.activityAt - a.activityAt || a.conversationId.localeCompare(b.conversationId)
	);
}

function item(e: InboxEntry, presence: Map<string, Presence>, typing: string[]): InboxItem {
	return {
		conversationId: e.conversationId,
		docName: e.docName,
		kind: e.kind,
		title: e.title,
		...(e.avatarUrl ? { avatarUrl: e.avatarUrl } : {}),
		...(e.peerId ? { peerId: e.peerId } : {}),
		role: e.role,
		...(e.lastMessage
			? {
					lastMessage: {
						authorId: e.lastMessage.authorId,
						authorName: e.lastMessage.authorName,
						preview: e.lastMessage.preview,
						at: e.lastMessage.at
					}
				}
			: {}),
		unread: e.unread,
		...(e.mentioned ? { mentioned: true } : {}),
		muted: e.muted,
		pinned: e.pinned,
		archived: e.archived,
		...(e.kind === 'direct' && e.peerId ? { online: presence.get(e.peerId)?.online ?? false } : {}),
		typing,
		activityAt: (e as InboxEntry & { activityAt?: number }).activityAt ?? e.lastMessage?.at ?? 0
	};
}
