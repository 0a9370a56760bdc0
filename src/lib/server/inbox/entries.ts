/**
 * What an inbox entry says about one conversation for one member, computed from the relational
 * tables the relay keeps current (messages, read_markers) and the membership tables.
 */
import type { Queryable } from '../db/index.js';
import { conversationDocName } from '../doc-names.js';
import type { InboxEntry } from '$lib/sync/schema';

/** Longest preview of the last message in an entry (characters). */
export const PREVIEW_MAX_CHARS = 120;
/** Unread counts stop here ("999+"): counting further costs time and tells nobody anything. */
export const UNREAD_COUNT_CAP = 999;

const SQL = {
	// One row per (user, conversation) pair asked for; pairs where the user is no member give none.
	entries: `
		with pairs as (select * from unnest($1::text[], $2::text[]) as p(user_id, conversation_id))
		select p.user_id, c.id, c.kind, c.title, c.avatar_url, m.role, m.muted, m.pinned, m.archived,
			extract(epoch from c.created_at) * 1000 as created_ms,
			peer.id as peer_id, peer.display_name as peer_name, peer.avatar_url as peer_avatar,
			last.id as last_id, last.author_id as last_author, author.display_name as last_author_name,
			last.kind as last_kind, left(last.text, ${PREVIEW_MAX_CHARS}) as last_text,
			extract(epoch from last.created_at) * 1000 as last_ms,
			(select count(*) from (
				select 1 from messages x
				where x.doc_name = 'conv.' || c.id and x.deleted_at is null and x.author_id <> p.user_id and x.kind <> 'system'
					and x.position > coalesce((select r.position from read_markers r
						where r.doc_name = 'conv.' || c.id and r.user_id = p.user_id), 0)
				limit ${UNREAD_COUNT_CAP}) u)::int as unread,
			exists (select 1 from message_mentions mm join messages x on x.doc_name = mm.doc_name and x.id = mm.message_id
				where mm.user_id = p.user_id and mm.doc_name = 'conv.' || c.id and x.deleted_at is null
					and x.position > coalesce((select r.position from read_markers r
						where r.doc_name = 'conv.' || c.id and r.user_id = p.user_id), 0)) as mentioned
		from pairs p
		join conversation_members m on m.user_id = p.user_id and m.conversation_id = p.conversation_id
		join conversations c on c.id = m.conversation_id
		left join lateral (
			select u.id, u.display_name, u.avatar_url from conversation_members o join users u on u.id = o.user_id
			where c.kind = 'direct' and o.conversation_id = c.id and o.user_id <> p.user_id limit 1) peer on true
		left join lateral (
			select x.id, x.author_id, x.kind, x.text, x.created_at from messages x
			where x.doc_name = 'conv.' || c.id and x.deleted_at is null
			order by x.position desc limit 1) last on true
		left join users author on author.id = last.author_id`,
	conversationsOf: `select conversation_id from conversation_members where user_id = $1`,
	membersOf: `select user_id from conversation_members where conversation_id = $1`
};

interface EntryRow {
	user_id: string;
	id: string;
	kind: InboxEntry['kind'];
	title: string;
	avatar_url: string | null;
	role: InboxEntry['role'];
	muted: boolean;
	pinned: boolean;
	archived: boolean;
	created_ms: string | number;
	peer_id: string | null;
	peer_name: string | null;
	peer_avatar: string | null;
	last_id: string | null;
	last_author: string | null;
	last_author_name: string | null;
	last_kind: string | null;
	last_text: string | null;
	last_ms: string | number | null;
	unread: number;
	mentioned: boolean;
}

/** The entries of the given (user, conversation) pairs, by user then conversation id. */
export async function computeEntries(
	db: Queryable,
	pairs: ReadonlyArray<readonly [userId: string, conversationId: string]>
): Promise<Map<string, Map<string, InboxEntry>>> {
	const rows = await db.query<EntryRow>(SQL.entries, [pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
	const byUser = new Map<string, Map<string, InboxEntry>>();
	for (const row of rows) {
		let entries = byUser.get(row.user_id);
		if (!entries) byUser.set(row.user_id, (entries = new Map()));
		entries.set(row.id, toEntry(row));
	}
	return byUser;
}

function toEntry(row: EntryRow): InboxEntry {
	const lastAt = row.last_ms === null ? null : Math.round(Number(row.last_ms));
	const direct = row.kind === 'direct' && row.peer_id !== null;
	return {
		conversationId: row.id,
		docName: conversationDocName(row.id),
		kind: row.kind,
		// A direct conversation is titled by the other person, as every messenger does.
		title: direct ? (row.peer_name ?? '') : row.title,
		avatarUrl: (direct ? row.peer_avatar : row.avatar_url) ?? null,
		...(direct ? { peerId: row.peer_id! } : {}),
		role: row.role,
		lastMessage:
			row.last_id === null
				? null
				: {
						id: row.last_id,
						authorId: row.last_author ?? '',
						authorName: row.last_author_name ?? '',
						kind: row.last_kind ?? 'text',
						preview: row.last_text ?? '',
						at: lastAt!
					},
		unread: row.unread,
		mentioned: row.mentioned,
		muted: row.muted,
		pinned: row.pinned,
		archived: row.archived,
		// Sorting key: the last message, or when the conversation began.
		activityAt: lastAt ?? Math.round(Number(row.created_ms))
	};
}

/** Ids of every conversation a user belongs to. */
export async function conversationsOf(db: Queryable, userId: string): Promise<string[]> {
	return (await db.query<{ conversation_id: string }>(SQL.conversationsOf, [userId])).map((r) => r.conversation_id);
}

/** Ids of every member of a conversation. */
export async function membersOf(db: Queryable, conversationId: string): Promise<string[]> {
	return (await db.query<{ user_id: string }>(SQL.membersOf, [conversationId])).map((r) => r.user_id);
}
