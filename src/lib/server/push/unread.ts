/**
 * The unread total for the app badge and the title (`(3) Parley`), for a service worker that has
 * no inbox document at hand (a push arrived while no Parley page was open). Counted as the inbox
 * counts (messages by others after my read position, each conversation capped at
 * UNREAD_COUNT_CAP), split by whether I muted the conversation.
 */
import type { Queryable } from '../db/index.js';
import { UNREAD_COUNT_CAP } from '../inbox/entries.js';

const SQL = {
	// One capped count per conversation I belong to: at most userConversationsMax × the cap rows read.
	unread: `select coalesce(sum(t.n) filter (where not t.muted), 0)::int as total, coalesce(sum(t.n) filter (where t.muted), 0)::int as muted
		from (select m.muted, (select count(*) from (
				select 1 from messages x
				where x.doc_name = 'conv.' || m.conversation_id and x.deleted_at is null and x.author_id <> $1 and x.kind <> 'system'
					and x.position > coalesce((select r.position from read_markers r
						where r.doc_name = 'conv.' || m.conversation_id and r.user_id = $1), 0)
				limit ${UNREAD_COUNT_CAP}) u) as n
			from conversation_members m where m.user_id = $1) t`
};

/** Unread messages in conversations I did not mute (`total`), and in those I muted. */
export async function unreadTotals(db: Queryable, userId: string): Promise<{ total: number; muted: number }> {
	const [row] = await db.query<{ total: number; muted: number }>(SQL.unread, [userId]);
	return { total: row?.total ?? 0, muted: row?.muted ?? 0 };
}
