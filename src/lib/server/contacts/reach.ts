/**
 * Who may pull whom into a conversation: blocks (either way) and the target's privacy setting
 * `allowConversationsFrom` (`'contacts'`: only people in the target's contacts list). Used for
 * starting a direct conversation and for adding someone to a group or channel.
 */
import type { Queryable } from '../db/index.js';
import { ApiError } from '../http-errors.js';

/** Why `actor` may not reach a user, or 'ok'. */
export type Reach = 'ok' | 'blocked_by_me' | 'blocked_me' | 'contacts_only';

const SQL = {
	// One row per existing target: unknown ids simply have none.
	reach: `select u.id,
			exists (select 1 from blocks b where b.blocker_id = $1 and b.blocked_id = u.id) as blocked_by_me,
			exists (select 1 from blocks b where b.blocker_id = u.id and b.blocked_id = $1) as blocked_me,
			u.privacy_conversations = 'contacts'
				and not exists (select 1 from contacts c where c.owner_id = u.id and c.contact_id = $1) as contacts_only
		from users u where u.id = any($2::text[])`
};

interface ReachRow {
	id: string;
	blocked_by_me: boolean;
	blocked_me: boolean;
	contacts_only: boolean;
}

/** How `actor` stands with each existing user of `targets` (unknown ids are absent from the map). */
export async function reachOf(db: Queryable, actor: string, targets: readonly string[]): Promise<Map<string, Reach>> {
	const rows = await db.query<ReachRow>(SQL.reach, [actor, targets]);
	return new Map(
		rows.map((row) => [
			row.id,
			row.blocked_by_me ? 'blocked_by_me' : row.blocked_me ? 'blocked_me' : row.contacts_only ? 'contacts_only' : 'ok'
		])
	);
}

/**
 * The refusal for a reach other than 'ok'. Being blocked and a contacts-only setting read the
 * same, so a refusal never tells someone that they were blocked.
 */
export function reachRefusal(reach: Reach, field: string): ApiError | null {
	if (reach === 'ok') return null;
	if (reach === 'blocked_by_me') return new ApiError(403, 'blocked', `${field}: you blocked this person; unblock them first`);
	return new ApiError(403, 'forbidden', `${field}: this person does not accept conversations from you`);
}

/**
 * Checks every target: 404 (or 400 `invalid_input` with `unknownStatus: 400`) for an id that is no
 * user, 403 for one that may not be reached.
 */
export async function assertReachable(
	db: Queryable,
	actor: string,
	targets: readonly string[],
	{ field, unknownStatus = 404 }: { field: string; unknownStatus?: 400 | 404 }
): Promise<void> {
	if (targets.length === 0) return;
	const reach = await reachOf(db, actor, targets);
	for (const id of targets) {
		const found = reach.get(id);
		if (found === undefined)
			throw unknownStatus === 400
				? new ApiError(400, 'invalid_input', `${field}: no user ${id}`)
				: new ApiError(404, 'not_found', 'No such user');
		const refusal = reachRefusal(found, field);
		if (refusal) throw refusal;
	}
}
