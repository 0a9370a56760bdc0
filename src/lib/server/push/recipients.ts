/**
 * Who is notified of a committed batch, and of what. The rules (docs/notifications.md, "What
 * notifies") are one pure function, `noticeFor`; the named queries around it read the facts a
 * batch needs, a page of recipients at a time.
 */
import type { Queryable } from '../db/index.js';
import { parseDocName } from '../doc-names.js';
import type { ConversationFacts } from './payload.js';
import type { NotificationSettings } from './store.js';

/** A new message of a batch, as its committed envelope says. */
export interface BatchMessage {
	id: string;
	authorId: string;
	createdAt: number;
	text: string;
	kind: 'text' | 'media' | 'sticker';
	attachments: number;
	replyTo?: string;
	mentions?: string[];
}

/** A reaction of a batch: `by` now has `emoji` on message `messageId`. */
export interface BatchReaction {
	messageId: string;
	by: string;
	emoji: string[];
	at: number;
}

/** What one message or reaction target is in the database: who wrote it and where it stands. */
export interface MessageRow {
	authorId: string;
	position: number;
}

/** A member who may be notified (they have at least one push subscription). */
export interface Recipient {
	userId: string;
	muted: boolean;
	settings: NotificationSettings;
	/** Authors of this batch with whom a block stands, either way. */
	blocked: ReadonlySet<string>;
	/** Position of the newest message they read (0: none). */
	readPosition: number;
}

/** What one recipient is told. */
export interface Notice {
	userId: string;
	/** The batch's messages that notify them, in order. */
	messages: BatchMessage[];
	/** Whether one of those mentions them or replies to their message. */
	mention: boolean;
	/** Reactions to their messages that notify them. */
	reactions: BatchReaction[];
}

/**
 * The rules, for one recipient: a message notifies when someone else wrote it, no block stands
 * between them, they have not read past it, and the conversation is not muted, or it is but the
 * message mentions them or replies to theirs and `mentionsInMuted` is on. A reaction notifies the
 * message's author when `reactions` is on, the conversation is not muted and no block stands.
 */
export function noticeFor(
	r: Recipient,
	messages: readonly BatchMessage[],
	reactions: readonly BatchReaction[],
	rows: ReadonlyMap<string, MessageRow>
): Notice | null {
	const notice: Notice = { userId: r.userId, messages: [], mention: false, reactions: [] };
	for (const m of messages) {
		if (m.authorId === r.userId || r.blocked.has(m.authorId)) continue;
		const position = rows.get(m.id)?.position;
		if (position !== undefined && position <= r.readPosition) continue;
		const mentioned = m.mentions?.includes(r.userId) === true || (m.replyTo !== undefined && rows.get(m.replyTo)?.authorId === r.userId);
		if (r.muted && !(mentioned && r.settings.mentionsInMuted)) continue;
		notice.messages.push(m);
		notice.mention ||= mentioned;
	}
	if (r.settings.reactions && !r.muted)
		for (const x of reactions)
			if (x.by !== r.userId && !r.blocked.has(x.by) && rows.get(x.messageId)?.authorId === r.userId) notice.reactions.push(x);
	return notice.messages.length || notice.reactions.length ? notice : null;
}

/**
 * The conversation a document belongs to. One named place, because a long conversation may later
 * be kept in several segment documents (issue 18): then this becomes a query.
 */
export function conversationOfDocName(docName: string): string | null {
	const target = parseDocName(docName);
	return target?.kind === 'conversation' ? target.conversationId : null;
}

const SQL = {
	conversation: `select id, kind, title from conversations where id = $1`,
	names: `select id, display_name from users where id = any($1::text[])`,
	// Authors and positions of the batch's messages and of what they reply or react to.
	messageRows: `select id, author_id, position from messages where doc_name = $1 and id = any($2::text[])`,
	// One page of members with a push subscription, in user id order (keyset: `> $2`). `$4`: only
	// these users (a batch of reactions concerns their messages' authors only), or null for all.
	page: `select m.user_id, m.muted,
			coalesce(n.preview, 'full') as preview, coalesce(n.mentions_in_muted, true) as mentions_in_muted,
			coalesce(n.reactions, false) as reactions,
			coalesce((select r.position from read_markers r where r.doc_name = $6 and r.user_id = m.user_id), 0) as read_position,
			array(select case when b.blocker_id = m.user_id then b.blocked_id else b.blocker_id end from blocks b
				where (b.blocker_id = m.user_id and b.blocked_id = any($3::text[]))
					or (b.blocked_id = m.user_id and b.blocker_id = any($3::text[]))) as blocked
		from conversation_members m
		left join notification_settings n on n.user_id = m.user_id
		where m.conversation_id = $1 and m.user_id > $2
			and ($4::text[] is null or m.user_id = any($4::text[]))
			and exists (select 1 from push_subscriptions p where p.user_id = m.user_id)
		order by m.user_id limit $5`,
	// What was notified since each recipient last read the conversation: the count a push shows.
	count: `insert into push_notified (user_id, conversation_id, count, updated_at)
		select v.u, $1, v.n, now() from unnest($2::text[], $3::int[]) as v(u, n)
		on conflict (user_id, conversation_id) do update set count = push_notified.count + excluded.count, updated_at = now()
		returning user_id, count`,
	read: `delete from push_notified p using unnest($1::text[], $2::text[]) as v(u, c)
		where p.user_id = v.u and p.conversation_id = v.c returning p.user_id, p.conversation_id`
};

/** The conversation's kind and title, or null when it is gone. */
export async function conversationFacts(db: Queryable, conversationId: string): Promise<ConversationFacts | null> {
	const [row] = await db.query<{ id: string; kind: ConversationFacts['kind']; title: string }>(SQL.conversation, [conversationId]);
	return row ? { id: row.id, kind: row.kind, title: row.title } : null;
}

/** Display names by user id. */
export async function displayNames(db: Queryable, userIds: readonly string[]): Promise<Map<string, string>> {
	if (userIds.length === 0) return new Map();
	const rows = await db.query<{ id: string; display_name: string }>(SQL.names, [userIds]);
	return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Authors and positions of these messages of a document (those it has). */
export async function messageRows(db: Queryable, docName: string, ids: readonly string[]): Promise<Map<string, MessageRow>> {
	if (ids.length === 0) return new Map();
	const rows = await db.query<{ id: string; author_id: string; position: string | number }>(SQL.messageRows, [docName, ids]);
	return new Map(rows.map((r) => [r.id, { authorId: r.author_id, position: Number(r.position) }]));
}

/** One page of possible recipients after `cursor` (a user id; '' to start). */
export async function recipientPage(
	db: Queryable,
	input: {
		conversationId: string;
		docName: string;
		cursor: string;
		authors: readonly string[];
		only: readonly string[] | null;
		limit: number;
	}
): Promise<Recipient[]> {
	const rows = await db.query<{
		user_id: string;
		muted: boolean;
		preview: NotificationSettings['preview'];
		mentions_in_muted: boolean;
		reactions: boolean;
		read_position: string | number;
		blocked: string[];
	}>(SQL.page, [input.conversationId, input.cursor, input.authors, input.only, input.limit, input.docName]);
	return rows.map((r) => ({
		userId: r.user_id,
		muted: r.muted,
		settings: { preview: r.preview, mentionsInMuted: r.mentions_in_muted, reactions: r.reactions },
		blocked: new Set(r.blocked),
		readPosition: Number(r.read_position)
	}));
}

/** Adds `counts` to what was notified since each user last read; returns the new totals. */
export async function addNotified(
	db: Queryable,
	conversationId: string,
	counts: ReadonlyMap<string, number>
): Promise<Map<string, number>> {
	if (counts.size === 0) return new Map();
	const rows = await db.query<{ user_id: string; count: number }>(SQL.count, [conversationId, [...counts.keys()], [...counts.values()]]);
	return new Map(rows.map((r) => [r.user_id, r.count]));
}

/** These people read these conversations: forgets what was notified; returns the pairs that had something. */
export async function clearNotified(
	db: Queryable,
	pairs: ReadonlyArray<{ userId: string; conversationId: string }>
): Promise<Array<{ userId: string; conversationId: string }>> {
	if (pairs.length === 0) return [];
	const rows = await db.query<{ user_id: string; conversation_id: string }>(SQL.read, [
		pairs.map((p) => p.userId),
		pairs.map((p) => p.conversationId)
	]);
	return rows.map((r) => ({ userId: r.user_id, conversationId: r.conversation_id }));
}
