/**
 * User search (`GET /api/users?q=`) with privacy: people who blocked me never show up, and
 * someone whose `findableBy` is 'contacts' shows up on a partial match only to people in their
 * contacts. An exact username always finds a person who has not blocked me: a name given in
 * person should work.
 */
import type { Queryable } from '../db/index.js';
import { publicUser, type PublicUser } from '../auth/types.js';

const SQL = {
	// $2: escaped LIKE pattern; $3: the exact (lower-cased) text; $4: prefix pattern.
	search: `select u.id, u.username, u.display_name, u.avatar_url from users u
		where u.id <> $1
			and not exists (select 1 from blocks b where b.blocker_id = u.id and b.blocked_id = $1)
			and (u.username = $3 or (
				(u.username like $2 escape '\\' or lower(u.display_name) like $2 escape '\\')
				and (u.privacy_findable_by = 'everyone'
					or exists (select 1 from contacts c where c.owner_id = u.id and c.contact_id = $1))))
		order by (u.username = $3) desc, (u.username like $4 escape '\\') desc, u.username
		limit $5`
};

interface Row {
	id: string;
	username: string;
	display_name: string;
	avatar_url: string | null;
}

/** Users whose username or display name contains `query` (ignoring case) and who may be found by `me`. */
export async function searchVisibleUsers(db: Queryable, input: { me: string; query: string; limit: number }): Promise<PublicUser[]> {
	const needle = input.query.trim().toLowerCase();
	const escaped = needle.replace(/[\\%_]/g, (ch) => '\\' + ch);
	const rows = await db.query<Row>(SQL.search, [input.me, `%${escaped}%`, needle, `${escaped}%`, input.limit]);
	return rows.map((r) => publicUser({ id: r.id, username: r.username, displayName: r.display_name, avatarUrl: r.avatar_url }));
}
