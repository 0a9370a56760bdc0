/**
 * The projection hook: envelopes that accepted updates add, edit or delete are mirrored into the
 * relational `messages` table in the same statement as the update log, so search, counts and the
 * inbox never disagree with what was stored. A batch's changes are folded here first, because
 * the statements of one commit share a snapshot and cannot see each other's rows.
 */
import type { Envelope } from '$lib/sync/schema';
import { parseUploadUrl } from '$lib/sync/uploads';
import type { UpdateChanges } from '$lib/sync/check-update';
import type { CommitItem } from './group-commit.js';
import type { SqlStep } from './storage.js';

const SQL = {
	insert: `insert into messages (doc_name, id, author_id, kind, text, reply_to, created_at, edited_at, deleted_at)
		select d, i, a, k, t, r, to_timestamp(c / 1000.0), to_timestamp(e / 1000.0), case when x then now() end
		from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::bool[])
			as v(d, i, a, k, t, r, c, e, x)
		on conflict (doc_name, id) do nothing`,
	edit: `update messages m set text = v.t, edited_at = to_timestamp(v.e / 1000.0)
		from unnest($1::text[], $2::text[], $3::text[], $4::float8[]) as v(d, i, t, e)
		where m.doc_name = v.d and m.id = v.i and m.deleted_at is null
			and (m.edited_at is null or m.edited_at <= to_timestamp(v.e / 1000.0))`,
	remove: `update messages m set deleted_at = now(), text = ''
		from unnest($1::text[], $2::text[]) as v(d, i)
		where m.doc_name = v.d and m.id = v.i and m.deleted_at is null`,
	// Who each new message mentions (R28 checked they are members): the inbox's unread-mention mark.
	mentions: `insert into message_mentions (doc_name, message_id, user_id)
		select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`,
	// Which uploads each new message references (its attachments, and a poster frame's upload).
	references: `insert into message_uploads (doc_name, message_id, upload_id)
		select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`,
	// A max-register: the newest reported message wins, whichever device or order it came in.
	read: `insert into read_markers (doc_name, user_id, message_id, position, updated_at)
		select distinct on (v.d, v.u) v.d, v.u, m.id, m.position, now()
		from unnest($1::text[], $2::text[], $3::text[]) as v(d, u, i)
		join messages m on m.doc_name = v.d and m.id = v.i
		order by v.d, v.u, m.position desc
		on conflict (doc_name, user_id) do update
			set message_id = excluded.message_id, position = excluded.position, updated_at = now()
			where read_markers.position < excluded.position`
};

/** What the projection mirrors of one accepted update: its changes and who sent it. */
export type ProjectedChanges = UpdateChanges & { userId: string };

interface Row {
	doc: string;
	envelope: Envelope;
	text: string;
	editedAt: number | null;
	deleted: boolean;
}

/** The upload ids an envelope references (R27 checked they are its conversation's). */
function uploadsOf(envelope: Envelope): string[] {
	const ids = new Set<string>();
	for (const a of envelope.attachments ?? []) {
		ids.add(a.id);
		const thumb = a.thumbUrl ? parseUploadUrl(a.thumbUrl) : null;
		if (thumb) ids.add(thumb.id);
	}
	return [...ids];
}

/** The statements that mirror a batch's changes (none when it changes no envelope). */
export function projectMessages(items: readonly CommitItem<ProjectedChanges>[]): SqlStep[] {
	const added = new Map<string, Row>();
	const edits = new Map<string, { doc: string; id: string; text: string; editedAt: number }>();
	const deleted = new Map<string, { doc: string; id: string }>();
	const reads: Array<{ doc: string; userId: string; messageId: string }> = [];
	const key = (doc: string, id: string) => `${doc}\u0000${id}`;
	for (const { docName: doc, extra } of items) {
		if (!extra) continue;
		for (const envelope of extra.added)
			if (!added.has(key(doc, envelope.id)))
				added.set(key(doc, envelope.id), { doc, envelope, text: envelope.text, editedAt: null, deleted: false });
		for (const edit of extra.edits) {
			const row = added.get(key(doc, edit.messageId));
			if (row) {
				if (row.editedAt === null || row.editedAt <= edit.editedAt) Object.assign(row, { text: edit.text, editedAt: edit.editedAt });
				continue;
			}
			const previous = edits.get(key(doc, edit.messageId));
			if (!previous || previous.editedAt <= edit.editedAt)
				edits.set(key(doc, edit.messageId), { doc, id: edit.messageId, text: edit.text, editedAt: edit.editedAt });
		}
		for (const messageId of extra.reads) reads.push({ doc, userId: extra.userId, messageId });
		for (const id of extra.deleted) {
			const row = added.get(key(doc, id));
			if (row) Object.assign(row, { deleted: true, text: '' });
			else deleted.set(key(doc, id), { doc, id });
		}
	}
	// A row may be changed by one statement only: a deletion makes its edits moot.
	for (const k of deleted.keys()) edits.delete(k);

	const steps: SqlStep[] = [];
	const rows = [...added.values()];
	if (rows.length)
		steps.push({
			sql: SQL.insert,
			params: [
				rows.map((r) => r.doc),
				rows.map((r) => r.envelope.id),
				rows.map((r) => r.envelope.author),
				rows.map((r) => r.envelope.kind ?? 'text'),
				rows.map((r) => r.text),
				rows.map((r) => r.envelope.replyTo ?? null),
				rows.map((r) => r.envelope.createdAt),
				rows.map((r) => r.editedAt),
				rows.map((r) => r.deleted)
			]
		});
	const references = rows.flatMap((r) => uploadsOf(r.envelope).map((upload) => [r.doc, r.envelope.id, upload] as const));
	if (references.length)
		steps.push({ sql: SQL.references, params: [references.map((x) => x[0]), references.map((x) => x[1]), references.map((x) => x[2])] });
	const mentions = rows.flatMap((r) => (r.deleted ? [] : (r.envelope.mentions ?? []).map((user) => [r.doc, r.envelope.id, user] as const)));
	if (mentions.length)
		steps.push({ sql: SQL.mentions, params: [mentions.map((x) => x[0]), mentions.map((x) => x[1]), mentions.map((x) => x[2])] });
	const edited = [...edits.values()];
	if (edited.length)
		steps.push({
			sql: SQL.edit,
			params: [edited.map((e) => e.doc), edited.map((e) => e.id), edited.map((e) => e.text), edited.map((e) => e.editedAt)]
		});
	const removed = [...deleted.values()];
	if (removed.length) steps.push({ sql: SQL.remove, params: [removed.map((d) => d.doc), removed.map((d) => d.id)] });
	// Reads of messages added in this same batch are not seen by this statement (one snapshot);
	// a later read moves the marker. Reads of one's own new message never count as unread anyway.
	if (reads.length)
		steps.push({ sql: SQL.read, params: [reads.map((r) => r.doc), reads.map((r) => r.userId), reads.map((r) => r.messageId)] });
	return steps;
}
