/** The uploads tables (migration 0030): named statements only. */
import type { Queryable } from '../db/index.js';
import type { UploadKind } from './detect.js';

/** An upload's row. */
export interface UploadRow {
	id: string;
	conversation_id: string;
	kind: UploadKind;
	mime: string;
	name: string | null;
	size: string | number;
	sha256: string;
	thumb_sha256: string | null;
	width: number | null;
	height: number | null;
	placeholder: string | null;
}

const SQL = {
	// Touching `last_used_at` (and holding the row until commit) keeps the sweeper off these bytes.
	useBlob: `insert into upload_blobs (sha256, size, last_used_at) values ($1, $2, $3)
		on conflict (sha256) do update set last_used_at = greatest(upload_blobs.last_used_at, excluded.last_used_at)`,
	insert: `insert into uploads (id, conversation_id, uploader_id, kind, mime, name, size, sha256, thumb_sha256, width, height, placeholder, created_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
	forMember: `select u.id, u.conversation_id, u.kind, u.mime, u.name, u.size, u.sha256, u.thumb_sha256, u.width, u.height, u.placeholder
		from uploads u join conversation_members m on m.conversation_id = u.conversation_id and m.user_id = $2
		where u.id = $1`,
	recentIds: `select id from uploads where conversation_id = $1 order by created_at desc, id desc limit $2`,
	// Free: no live message references it, and either one did (it was sent, then unsent) or it is
	// older than the grace for messages still pending on some device.
	removeFree: `delete from uploads where id in (
			select u.id from uploads u
			where not exists (
				select 1 from message_uploads mu join messages m on m.doc_name = mu.doc_name and m.id = mu.message_id
				where mu.upload_id = u.id and m.deleted_at is null)
			and (u.created_at < $1 or exists (select 1 from message_uploads mu where mu.upload_id = u.id))
			limit $2)
		returning id, conversation_id`,
	forgetReferences: `delete from message_uploads where upload_id = any($1::text[])`,
	// References left by uploads that went with their conversation (cascade).
	forgetOrphanReferences: `delete from message_uploads where (upload_id, doc_name, message_id) in (
			select mu.upload_id, mu.doc_name, mu.message_id from message_uploads mu
			where not exists (select 1 from uploads u where u.id = mu.upload_id) limit $1)`,
	// Re-checked on the row itself: an upload that touched the blob meanwhile keeps it.
	removeFreeBlobs: `delete from upload_blobs where sha256 in (
			select b.sha256 from upload_blobs b
			where b.last_used_at < $1
			and not exists (select 1 from uploads u where u.sha256 = b.sha256)
			and not exists (select 1 from uploads u where u.thumb_sha256 = b.sha256)
			and not exists (select 1 from stickers s where s.sha256 = b.sha256)
			limit $2)
		and last_used_at < $1
		returning sha256`
};

/** Marks blobs as in use now (creating their rows). */
export async function useBlobs(tx: Queryable, blobs: ReadonlyArray<{ sha256: string; size: number }>, now: number): Promise<void> {
	for (const blob of blobs) await tx.query(SQL.useBlob, [blob.sha256, blob.size, new Date(now)]);
}

/** Inserts an upload row. */
export async function insertUpload(tx: Queryable, row: UploadRow & { uploader_id: string; created_at: number }): Promise<void> {
	await tx.query(SQL.insert, [
		row.id,
		row.conversation_id,
		row.uploader_id,
		row.kind,
		row.mime,
		row.name,
		row.size,
		row.sha256,
		row.thumb_sha256,
		row.width,
		row.height,
		row.placeholder,
		new Date(row.created_at)
	]);
}

/** The upload if `userId` is a member of its conversation, else null. */
export async function uploadForMember(db: Queryable, id: string, userId: string): Promise<UploadRow | null> {
	const [row] = await db.query<UploadRow>(SQL.forMember, [id, userId]);
	return row ?? null;
}

/** The newest `limit` upload ids of a conversation, oldest first. */
export async function recentUploadIds(db: Queryable, conversationId: string, limit: number): Promise<string[]> {
	const rows = await db.query<{ id: string }>(SQL.recentIds, [conversationId, limit]);
	return rows.map((r) => r.id).reverse();
}

/** Removes up to `limit` free uploads created before `pendingCutoff`; returns them. */
export async function removeFreeUploads(
	tx: Queryable,
	pendingCutoff: number,
	limit: number
): Promise<Array<{ id: string; conversation_id: string }>> {
	const removed = await tx.query<{ id: string; conversation_id: string }>(SQL.removeFree, [new Date(pendingCutoff), limit]);
	if (removed.length) await tx.query(SQL.forgetReferences, [removed.map((r) => r.id)]);
	await tx.query(SQL.forgetOrphanReferences, [limit]);
	return removed;
}

/** Removes up to `limit` blob rows no upload uses, unused since `cutoff`; returns their hashes. */
export async function removeFreeBlobs(tx: Queryable, cutoff: number, limit: number): Promise<string[]> {
	const rows = await tx.query<{ sha256: string }>(SQL.removeFreeBlobs, [new Date(cutoff), limit]);
	return rows.map((r) => r.sha256);
}
