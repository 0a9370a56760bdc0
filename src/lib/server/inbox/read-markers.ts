/**
 * Private read positions: a user who turned read receipts off writes no `reads` key others could
 * see, and reports what they read here instead; it feeds the same max-register as the relay's
 * projection, so their own unread counts stay right.
 */
import type { Queryable } from '../db/index.js';
import { conversationDocName } from '../doc-names.js';
import type { DocService } from '../docs.js';
import { CONVERSATION_ROOTS, parseReadKey } from '$lib/sync/schema';

const SQL = {
	// Only forward: an older message than the stored position changes nothing.
	mark: `insert into read_markers (doc_name, user_id, message_id, position, updated_at)
		select m.doc_name, $2, m.id, m.position, now() from messages m where m.doc_name = $1 and m.id = $3
		on conflict (doc_name, user_id) do update
			set message_id = excluded.message_id, position = excluded.position, updated_at = now()
			where read_markers.position < excluded.position
		returning position`,
	exists: `select 1 from messages where doc_name = $1 and id = $2`,
	conversationsOf: `select conversation_id from conversation_members where user_id = $1`
};

/**
 * Turning read receipts off hides where one is: the server removes the user's `reads` keys from
 * every conversation document (their unread counts keep using `read_markers`). R24 keeps new
 * ones out.
 */
export async function removeReadKeys(db: Queryable, docs: DocService, userId: string): Promise<void> {
	const rows = await db.query<{ conversation_id: string }>(SQL.conversationsOf, [userId]);
	for (const { conversation_id } of rows) {
		await docs.write(conversationDocName(conversation_id), (doc) => {
			const reads = doc.getMap(CONVERSATION_ROOTS.reads);
			for (const key of [...reads.keys()]) if (parseReadKey(key)?.userId === userId) reads.delete(key);
		});
	}
}

/** Moves a user's read position forward to `messageId`; 'unknown' if no such message, 'unchanged' if not newer. */
export async function markRead(
	db: Queryable,
	conversationId: string,
	userId: string,
	messageId: string
): Promise<'moved' | 'unchanged' | 'unknown'> {
	const docName = conversationDocName(conversationId);
	if ((await db.query(SQL.mark, [docName, userId, messageId])).length > 0) return 'moved';
	return (await db.query(SQL.exists, [docName, messageId])).length > 0 ? 'unchanged' : 'unknown';
}
