/**
 * What a member sees of conversations and of their members: the `conversation` object of SPEC §3
 * with what a client needs to show it in a list, and the member list with channel privacy
 * (subscribers see only the owner and admins).
 */
import type { Queryable } from '../db/index.js';
import { conversationDocName } from '../doc-names.js';
import { publicUser, type PublicUser } from '../auth/types.js';
import type { ConversationKind, MemberRole } from './store.js';

/** The other person of a direct conversation, with the alias I gave them if any. */
export interface OtherPerson extends PublicUser {
	alias?: string;
}

/** The `conversation` object of SPEC §3, as one member sees it. */
export interface ConversationView {
	id: string;
	kind: ConversationKind;
	/** for a direct conversation: my alias for the other person, else their display name */
	title: string;
	docName: string;
	role: MemberRole;
	description: string;
	avatarUrl: string | null;
	memberCount: number;
	/** channels only: listed by `GET /api/channels` and joinable without an invite */
	public: boolean;
	muted: boolean;
	pinned: boolean;
	archived: boolean;
	createdAt: string;
	/** direct conversations only */
	other?: OtherPerson;
}

const VIEW = `select c.id, c.kind, c.title, c.description, c.avatar_url, c.public, c.created_at,
		m.role, m.muted, m.pinned, m.archived,
		(select count(*)::int from conversation_members x where x.conversation_id = c.id) as member_count,
		o.id as other_id, o.username as other_username, o.display_name as other_display_name,
		o.avatar_url as other_avatar_url, k.alias as other_alias
	from conversation_members m
	join conversations c on c.id = m.conversation_id
	left join conversation_members om on c.kind = 'direct' and om.conversation_id = c.id and om.user_id <> m.user_id
	left join users o on o.id = om.user_id
	left join contacts k on k.owner_id = m.user_id and k.contact_id = o.id`;

/** Subscribers of a channel see only these roles in its member list. */
const VISIBLE_TO_SUBSCRIBERS: MemberRole[] = ['owner', 'admin'];

const SQL = {
	one: `${VIEW} where m.user_id = $1 and c.id = $2`,
	list: `${VIEW} where m.user_id = $1 order by m.pinned desc, c.created_at desc, c.id`,
	members: `select u.id, u.username, u.display_name, u.avatar_url, m.role, m.joined_at
		from conversation_members m join users u on u.id = m.user_id
		where m.conversation_id = $1 and ($2::text[] is null or m.role = any($2::text[]))
		order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, m.joined_at, u.id
		limit $3 offset $4`,
	member: `select u.id, u.username, u.display_name, u.avatar_url, m.role, m.joined_at
		from conversation_members m join users u on u.id = m.user_id
		where m.conversation_id = $1 and m.user_id = $2`
};

interface ViewRow {
	id: string;
	kind: ConversationKind;
	title: string;
	description: string;
	avatar_url: string | null;
	public: boolean;
	created_at: Date;
	role: MemberRole;
	muted: boolean;
	pinned: boolean;
	archived: boolean;
	member_count: number;
	other_id: string | null;
	other_username: string | null;
	other_display_name: string | null;
	other_avatar_url: string | null;
	other_alias: string | null;
}

function toView(row: ViewRow): ConversationView {
	const view: ConversationView = {
		id: row.id,
		kind: row.kind,
		title: row.title,
		docName: conversationDocName(row.id),
		role: row.role,
		description: row.description,
		avatarUrl: row.avatar_url,
		memberCount: row.member_count,
		public: row.public,
		muted: row.muted,
		pinned: row.pinned,
		archived: row.archived,
		createdAt: new Date(row.created_at).toISOString()
	};
	if (row.kind === 'direct' && row.other_id) {
		const other: OtherPerson = publicUser({
			id: row.other_id,
			username: row.other_username!,
			displayName: row.other_display_name!,
			avatarUrl: row.other_avatar_url
		});
		if (row.other_alias) other.alias = row.other_alias;
		view.other = other;
		view.title = row.other_alias ?? other.displayName;
	}
	return view;
}

/** A conversation as one member sees it, or null when they are not a member. */
export async function viewConversation(db: Queryable, id: string, userId: string): Promise<ConversationView | null> {
	const [row] = await db.query<ViewRow>(SQL.one, [userId, id]);
	return row ? toView(row) : null;
}

/** Every conversation the user belongs to: pinned first, then newest first. */
export async function listConversations(db: Queryable, userId: string): Promise<ConversationView[]> {
	return (await db.query<ViewRow>(SQL.list, [userId])).map(toView);
}

/** One entry of a member list. */
export interface MemberView {
	user: PublicUser;
	role: MemberRole;
	joinedAt: string;
}

interface MemberRow {
	id: string;
	username: string;
	display_name: string;
	avatar_url: string | null;
	role: MemberRole;
	joined_at: Date;
}

const toMember = (r: MemberRow): MemberView => ({
	user: publicUser({ id: r.id, username: r.username, displayName: r.display_name, avatarUrl: r.avatar_url }),
	role: r.role,
	joinedAt: new Date(r.joined_at).toISOString()
});

/** One member, or null. */
export async function memberView(db: Queryable, conversationId: string, userId: string): Promise<MemberView | null> {
	const [row] = await db.query<MemberRow>(SQL.member, [conversationId, userId]);
	return row ? toMember(row) : null;
}

/** A page of members (owner, admins, then the rest by age) as `viewerRole` may see them. */
export async function listMembers(
	db: Queryable,
	input: { conversationId: string; kind: ConversationKind; viewerRole: MemberRole; limit: number; offset: number }
): Promise<MemberView[]> {
	// Channel subscribers do not see each other: only who runs the channel.
	const only = input.kind === 'channel' && input.viewerRole === 'subscriber' ? VISIBLE_TO_SUBSCRIBERS : null;
	return (await db.query<MemberRow>(SQL.members, [input.conversationId, only, input.limit, input.offset])).map(toMember);
}
