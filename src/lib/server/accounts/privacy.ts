/**
 * Privacy settings, stored with the user. The conversations code enforces them:
 * `allowConversationsFrom` gates starting a direct conversation, `lastSeenVisibleTo` gates
 * presence and last-seen, `readReceipts: false` means the client writes no read positions others see.
 */
import { z } from 'zod';
import type { Queryable } from '../db/index.js';
import { ApiError } from '../http-errors.js';

/** Who may start a conversation with me. */
export const CONVERSATION_AUDIENCES = ['everyone', 'contacts'] as const;
/** Who sees my last-seen time and online status. */
export const PRESENCE_AUDIENCES = ['everyone', 'contacts', 'nobody'] as const;
/** Who finds me by part of my name in user search (an exact username always finds me). */
export const FINDABLE_AUDIENCES = ['everyone', 'contacts'] as const;

/** A user's privacy settings (the `privacy` object of `GET/PATCH /api/me/privacy`). */
export interface Privacy {
	allowConversationsFrom: (typeof CONVERSATION_AUDIENCES)[number];
	lastSeenVisibleTo: (typeof PRESENCE_AUDIENCES)[number];
	readReceipts: boolean;
	findableBy: (typeof FINDABLE_AUDIENCES)[number];
}

/** A partial update; unknown keys are refused so a typo is not silently ignored. */
export const privacyPatchSchema = z
	.object({
		allowConversationsFrom: z.enum(CONVERSATION_AUDIENCES),
		lastSeenVisibleTo: z.enum(PRESENCE_AUDIENCES),
		readReceipts: z.boolean(),
		findableBy: z.enum(FINDABLE_AUDIENCES)
	})
	.partial()
	.strict();

const SQL = {
	get: `select privacy_conversations, privacy_last_seen, privacy_read_receipts, privacy_findable_by from users where id = $1`,
	update: `update users set
			privacy_conversations = coalesce($2, privacy_conversations),
			privacy_last_seen = coalesce($3, privacy_last_seen),
			privacy_read_receipts = coalesce($4, privacy_read_receipts),
			privacy_findable_by = coalesce($5, privacy_findable_by)
		where id = $1
		returning privacy_conversations, privacy_last_seen, privacy_read_receipts, privacy_findable_by`
};

interface PrivacyRow {
	privacy_conversations: Privacy['allowConversationsFrom'];
	privacy_last_seen: Privacy['lastSeenVisibleTo'];
	privacy_read_receipts: boolean;
	privacy_findable_by: Privacy['findableBy'];
}

function toPrivacy(row: PrivacyRow | undefined): Privacy {
	if (!row) throw new ApiError(404, 'not_found', 'No such user');
	return {
		allowConversationsFrom: row.privacy_conversations,
		lastSeenVisibleTo: row.privacy_last_seen,
		readReceipts: row.privacy_read_receipts,
		findableBy: row.privacy_findable_by
	};
}

/** The privacy settings of a user. */
export async function getPrivacy(db: Queryable, userId: string): Promise<Privacy> {
	return toPrivacy((await db.query<PrivacyRow>(SQL.get, [userId]))[0]);
}

/** Changes some settings; returns all of them. */
export async function updatePrivacy(db: Queryable, userId: string, patch: z.output<typeof privacyPatchSchema>): Promise<Privacy> {
	const rows = await db.query<PrivacyRow>(SQL.update, [
		userId,
		patch.allowConversationsFrom ?? null,
		patch.lastSeenVisibleTo ?? null,
		patch.readReceipts ?? null,
		patch.findableBy ?? null
	]);
	return toPrivacy(rows[0]);
}
