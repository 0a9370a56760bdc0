/** Public channels: found by search (`GET /api/channels?q=`), joined without an invite. */
import type { Queryable } from '../db/index.js';
import type { Deps } from './context.js';
import { joinConversation } from './join.js';
import type { ConversationView } from './views.js';

/** A public channel as a search shows it to anyone signed in. */
export interface ChannelListing {
	id: string;
	title: string;
	description: string;
	avatarUrl: string | null;
	memberCount: number;
	/** whether the searcher is a member already */
	joined: boolean;
}

const SQL = {
	// $2: escaped LIKE pattern on title or description; largest channels first.
	search: `select c.id, c.title, c.description, c.avatar_url,
			(select count(*)::int from conversation_members x where x.conversation_id = c.id) as member_count,
			exists (select 1 from conversation_members me where me.conversation_id = c.id and me.user_id = $1) as joined
		from conversations c
		where c.kind = 'channel' and c.public and (lower(c.title) like $2 escape '\\' or lower(c.description) like $2 escape '\\')
		order by member_count desc, c.created_at, c.id
		limit $3`
};

/** Public channels whose title or description contains `query` (ignoring case); empty query: all, largest first. */
export async function searchChannels(db: Queryable, input: { me: string; query: string; limit: number }): Promise<ChannelListing[]> {
	const escaped = input.query
		.trim()
		.toLowerCase()
		.replace(/[\\%_]/g, (ch) => '\\' + ch);
	const rows = await db.query<{
		id: string;
		title: string;
		description: string;
		avatar_url: string | null;
		member_count: number;
		joined: boolean;
	}>(SQL.search, [input.me, `%${escaped}%`, input.limit]);
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		description: r.description,
		avatarUrl: r.avatar_url,
		memberCount: r.member_count,
		joined: r.joined
	}));
}

/** Joins a public channel as a subscriber; a private conversation is a 404 to non-members. */
export function joinPublicChannel(
	deps: Deps,
	me: string,
	conversationId: string
): Promise<{ conversation: ConversationView; created: boolean }> {
	return joinConversation(deps, me, conversationId, (_tx, conversation) => conversation.kind === 'channel' && conversation.public);
}
