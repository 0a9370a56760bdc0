/**
 * Moderation: recent messages across the server, removing one, clearing a conversation or the
 * whole server. A removal is a server-written deletion in the conversation's document through
 * the relay (`docs.write`), so it reaches every open client at once and every offline copy on its
 * next sync (Yjs deletions merge); the `messages` mirror marks it deleted in the same step.
 */
import type * as Y from 'yjs';
import type { Queryable } from '../db/types.js';
import { ApiError } from '../http-errors.js';
import { CONVERSATION_ROOTS } from '$lib/sync/schema';
import { audit } from './audit.js';
import { conversationDocName, parseDocName } from '../doc-names.js';
import type { AdminDeps } from './users.js';

type Admin = { id: string; username: string };

/** The typed confirmations clearing needs (the panel asks for them word for word). */
export const CLEAR_CONVERSATION_CONFIRM = 'CLEAR';
export const CLEAR_SERVER_CONFIRM = 'CLEAR ALL MESSAGES';

export interface RecentMessage {
	docName: string;
	id: string;
	conversationId: string | null;
	conversationTitle: string;
	conversationKind: string | null;
	authorId: string;
	authorName: string | null;
	text: string;
	createdAt: string;
}

const SQL = {
	recent: `select m.doc_name, m.id, m.author_id, m.text, m.created_at, c.id as conversation_id, c.title, c.kind,
			u.username as author_name
		from messages m
		left join conversations c on 'conv.' || c.id = m.doc_name
		left join users u on u.id = m.author_id
		where m.deleted_at is null and m.kind <> 'system' and ($1::timestamptz is null or m.created_at < $1)
		order by m.created_at desc limit $2`,
	markDeleted: `update messages set deleted_at = $3 where doc_name = $1 and id = any($2::text[]) and deleted_at is null`,
	exists: `select 1 from messages where doc_name = $1 and id = $2 and deleted_at is null`,
	conversation: `select id, title from conversations where id = $1`,
	// Only documents that hold a live message someone wrote: the rest have nothing to clear, and
	// loading every conversation's document (channels with no posts, empty directs) costs for nothing.
	conversationsWithMessages: `select c.id from conversations c
		where exists (select 1 from messages m where m.doc_name = $1 || c.id and m.deleted_at is null and m.kind <> 'system')
		order by c.created_at`
};

/** Newest first; `before` (ISO time) pages back. */
export async function recentMessages(db: Queryable, options: { before?: string; limit: number }): Promise<RecentMessage[]> {
	const rows = await db.query<{
		doc_name: string;
		id: string;
		author_id: string;
		text: string;
		created_at: Date | string;
		conversation_id: string | null;
		title: string | null;
		kind: string | null;
		author_name: string | null;
	}>(SQL.recent, [options.before ? new Date(options.before) : null, options.limit]);
	return rows.map((r) => ({
		docName: r.doc_name,
		id: r.id,
		conversationId: r.conversation_id,
		conversationTitle: r.title ?? '',
		conversationKind: r.kind,
		authorId: r.author_id,
		authorName: r.author_name,
		text: r.text,
		createdAt: new Date(r.created_at).toISOString()
	}));
}

/** Deletes envelopes from a document as the server; `which` picks them; returns the ids deleted. */
async function deleteEnvelopes(
	rt: AdminDeps,
	docName: string,
	which: (envelope: { id?: unknown; kind?: unknown }) => boolean
): Promise<string[]> {
	const deleted: string[] = [];
	await rt.docs.write(docName, (doc: Y.Doc) => {
		const messages = doc.getArray<{ id?: unknown; kind?: unknown }>(CONVERSATION_ROOTS.messages);
		// From the end, so the indexes still to visit do not move.
		for (let i = messages.length - 1; i >= 0; i--) {
			const envelope = messages.get(i);
			if (envelope && typeof envelope === 'object' && which(envelope)) {
				deleted.push(String(envelope.id));
				messages.delete(i, 1);
			}
		}
	});
	if (deleted.length) {
		await rt.db.query(SQL.markDeleted, [docName, deleted, new Date(rt.now())]);
		rt.events.emit('updateCommitted', { docName, envelopesChanged: true, readBy: null });
	}
	return deleted;
}

/** Removes one message everywhere (404 when there is no such live message). */
export async function removeMessage(rt: AdminDeps, admin: Admin, docName: string, messageId: string): Promise<void> {
	if (parseDocName(docName)?.kind !== 'conversation' || !(await rt.db.query(SQL.exists, [docName, messageId])).length)
		throw new ApiError(404, 'not_found', 'No such message');
	const deleted = await deleteEnvelopes(rt, docName, (e) => e.id === messageId);
	if (!deleted.length) throw new ApiError(404, 'not_found', 'No such message');
	await audit(rt.db, { admin, action: 'message.remove', target: `${docName}/${messageId}`, now: rt.now() });
}

/** Removes every message (system notices stay) of one conversation; returns how many. */
export async function clearConversation(rt: AdminDeps, admin: Admin, conversationId: string, confirm: string): Promise<number> {
	if (confirm !== CLEAR_CONVERSATION_CONFIRM)
		throw new ApiError(400, 'confirmation_required', `confirm: type ${CLEAR_CONVERSATION_CONFIRM}`);
	const [conversation] = await rt.db.query<{ id: string; title: string }>(SQL.conversation, [conversationId]);
	if (!conversation) throw new ApiError(404, 'not_found', 'No such conversation');
	const deleted = await deleteEnvelopes(rt, conversationDocName(conversationId), (e) => e.kind !== 'system');
	await audit(rt.db, { admin, action: 'conversation.clear', target: conversationId, detail: `${deleted.length} messages`, now: rt.now() });
	return deleted.length;
}

/** Removes every message of every conversation; returns how many. */
export async function clearServer(rt: AdminDeps, admin: Admin, confirm: string): Promise<number> {
	if (confirm !== CLEAR_SERVER_CONFIRM) throw new ApiError(400, 'confirmation_required', `confirm: type ${CLEAR_SERVER_CONFIRM}`);
	let total = 0;
	for (const { id } of await rt.db.query<{ id: string }>(SQL.conversationsWithMessages, [conversationDocName('')]))
		total += (await deleteEnvelopes(rt, conversationDocName(id), (e) => e.kind !== 'system')).length;
	await audit(rt.db, { admin, action: 'server.clear', detail: `${total} messages`, now: rt.now() });
	return total;
}
