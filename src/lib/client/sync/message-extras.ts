/**
 * What the chat shows around a message besides its text, as plain data: the quoted message of a
 * reply, reaction chips, pins, who read a message, and find-in-chat over the whole cached
 * document. Pure functions over a conversation document (no Svelte), testable in Node.
 */
import type * as Y from 'yjs';
import { conversationTypes, parseReactionKey, parseReadKey, reactionKey, type Envelope } from '../../sync/schema.js';

/** Named bounds on the work these views do per call. */
export const EXTRAS_LIMITS = {
	/** characters of a quoted or pinned message's text shown */
	snippetChars: 120,
	/** messages find-in-chat scans, newest first (a bigger document is searched in its newest part) */
	findMaxScan: 20_000,
	/** matches find-in-chat reports (the rest are not counted) */
	findMaxMatches: 1_000,
	/** pins listed in the pinned bar */
	maxPins: 100,
	/** reaction entries read per window (each is one user's emoji on one message) */
	maxReactionEntries: 50_000,
	/** names listed per reaction chip (the count stays exact) */
	maxNamesPerReaction: 30
} as const;

/** The message a reply quotes. */
export interface ReplyPreview {
	id: string;
	authorId: string;
	authorName: string;
	/** plain snippet of its current text (empty for a sticker or captionless media) */
	snippet: string;
	kind: 'text' | 'media' | 'sticker' | 'system';
	/** the quoted message is gone (or never reached this device) */
	deleted: boolean;
}

/** One reaction chip: an emoji with who put it. */
export interface ReactionSummary {
	emoji: string;
	count: number;
	/** I put this emoji */
	mine: boolean;
	/** names of who reacted (capped at `maxNamesPerReaction`) */
	names: string[];
}

/** One pinned message, for the pinned bar. */
export interface PinItem {
	id: string;
	authorName: string;
	snippet: string;
	kind: 'text' | 'media' | 'sticker' | 'system';
	at: number;
}

/** Markdown source as one short line of plain text. */
export function snippet(markdown: string, max: number = EXTRAS_LIMITS.snippetChars): string {
	const plain = markdown
		.replace(/```[\s\S]*?```/g, ' ')
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[*_~`>#]+/g, '')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

/** Reaction chips per message id, for the messages in `ids` (one walk over the reactions map). */
export function reactionSummaries(
	doc: Y.Doc,
	ids: ReadonlySet<string>,
	me: string,
	name: (userId: string) => string
): Map<string, ReactionSummary[]> {
	const byMessage = new Map<string, Map<string, ReactionSummary>>();
	let seen = 0;
	for (const [key, value] of conversationTypes(doc).reactions.entries()) {
		if (++seen > EXTRAS_LIMITS.maxReactionEntries) break;
		const parsed = parseReactionKey(key);
		if (!parsed || !ids.has(parsed.messageId) || !Array.isArray(value)) continue;
		let chips = byMessage.get(parsed.messageId);
		if (!chips) byMessage.set(parsed.messageId, (chips = new Map()));
		for (const emoji of value) {
			if (typeof emoji !== 'string') continue;
			let chip = chips.get(emoji);
			if (!chip) chips.set(emoji, (chip = { emoji, count: 0, mine: false, names: [] }));
			chip.count++;
			if (parsed.userId === me) chip.mine = true;
			if (chip.names.length < EXTRAS_LIMITS.maxNamesPerReaction) chip.names.push(name(parsed.userId));
		}
	}
	const out = new Map<string, ReactionSummary[]>();
	// most used first; ties by emoji so that every member sees the same order
	for (const [id, chips] of byMessage)
		out.set(
			id,
			[...chips.values()].sort((a, b) => b.count - a.count || (a.emoji < b.emoji ? -1 : a.emoji > b.emoji ? 1 : 0))
		);
	return out;
}

/** My emoji on `messageId` with `emoji` toggled (added at the end, or removed). */
export function toggledReaction(doc: Y.Doc, me: string, messageId: string, emoji: string): string[] {
	const current = conversationTypes(doc).reactions.get(reactionKey(messageId, me)) ?? [];
	return current.includes(emoji) ? current.filter((e) => e !== emoji) : [...current, emoji];
}

function preview(doc: Y.Doc, envelope: Envelope, name: (userId: string) => string): Omit<ReplyPreview, 'deleted'> {
	const text = conversationTypes(doc).edits.get(envelope.id)?.text ?? envelope.text;
	return {
		id: envelope.id,
		authorId: envelope.author,
		authorName: name(envelope.author),
		snippet: snippet(text),
		kind: envelope.kind ?? 'text'
	};
}

/**
 * Previews of the messages that `replies` quote. Those in `shown` are found at once; the others
 * (older than the window) with one walk over the document, only when there are any.
 */
export function replyPreviews(
	doc: Y.Doc,
	replyIds: ReadonlySet<string>,
	shown: readonly Envelope[],
	name: (userId: string) => string
): Map<string, ReplyPreview> {
	const out = new Map<string, ReplyPreview>();
	if (replyIds.size === 0) return out;
	for (const envelope of shown) if (replyIds.has(envelope.id)) out.set(envelope.id, { ...preview(doc, envelope, name), deleted: false });
	if (out.size < replyIds.size) {
		conversationTypes(doc).messages.forEach((envelope) => {
			if (replyIds.has(envelope.id) && !out.has(envelope.id)) out.set(envelope.id, { ...preview(doc, envelope, name), deleted: false });
		});
	}
	for (const id of replyIds) if (!out.has(id)) out.set(id, { id, authorId: '', authorName: '', snippet: '', kind: 'text', deleted: true });
	return out;
}

/** The pinned messages still in the document, newest pin first. */
export function pinList(doc: Y.Doc, name: (userId: string) => string): PinItem[] {
	const t = conversationTypes(doc);
	const pins = new Map<string, number>();
	for (const [id, value] of t.pins.entries()) {
		if (pins.size >= EXTRAS_LIMITS.maxPins) break;
		pins.set(id, typeof value?.at === 'number' ? value.at : 0);
	}
	if (pins.size === 0) return [];
	const items: PinItem[] = [];
	t.messages.forEach((envelope) => {
		const at = pins.get(envelope.id);
		if (at !== undefined) items.push({ ...preview(doc, envelope, name), at });
	});
	return items.sort((a, b) => b.at - a.at);
}

/**
 * Who has read `messageId`: the users (not `me`, not its author) whose read position is at or
 * after it. People with read receipts off never write a read position (R24: they report reads
 * privately), so they never appear here, whether or not they read it.
 */
export function readers(doc: Y.Doc, messageId: string, me: string): string[] {
	const t = conversationTypes(doc);
	const index = new Map<string, number>();
	let target = -1;
	let author = '';
	let i = 0;
	t.messages.forEach((envelope) => {
		index.set(envelope.id, i);
		if (envelope.id === messageId) {
			target = i;
			author = envelope.author;
		}
		i++;
	});
	if (target < 0) return [];
	const best = new Map<string, number>();
	for (const [key, value] of t.reads.entries()) {
		const who = parseReadKey(key)?.userId;
		const at = index.get(value?.messageId);
		if (who === undefined || at === undefined) continue;
		best.set(who, Math.max(best.get(who) ?? -1, at));
	}
	return [...best].filter(([who, at]) => at >= target && who !== me && who !== author).map(([who]) => who);
}

/**
 * Ids of the messages whose current text contains `query` (case-insensitive), oldest first,
 * searching the newest `findMaxScan` messages and keeping at most `findMaxMatches`, the newest.
 */
export function findMessages(doc: Y.Doc, query: string): string[] {
	const needle = query.trim().toLocaleLowerCase();
	if (needle === '') return [];
	const t = conversationTypes(doc);
	const total = t.messages.length;
	const start = Math.max(0, total - EXTRAS_LIMITS.findMaxScan);
	const found: string[] = [];
	const shown = t.messages.slice(start);
	for (let i = shown.length - 1; i >= 0 && found.length < EXTRAS_LIMITS.findMaxMatches; i--) {
		const envelope = shown[i]!;
		if (envelope.kind === 'system') continue;
		const text = t.edits.get(envelope.id)?.text ?? envelope.text;
		const names = envelope.attachments?.map((a) => a.name ?? '').join(' ') ?? '';
		if (text.toLocaleLowerCase().includes(needle) || names.toLocaleLowerCase().includes(needle)) found.push(envelope.id);
	}
	return found.reverse();
}
