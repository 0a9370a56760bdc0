/**
 * Storage limits of uploads (issue 21, item 1): a per-user quota (`uploadQuotaBytes`: the sum of
 * the sizes of the uploads a person made, each counted as sent even when the same bytes are
 * stored once) and a server-wide floor of free disk (`diskFreeFloorBytes`) under DATA_DIR: the
 * uploads share a disk with the embedded database, and a full disk stops PostgreSQL and with it
 * every message. Both are checked before a byte is stored (the declared length, then the stream
 * is cut where the room ends) and the quota again inside the upload's transaction.
 */
import { statfs } from 'node:fs/promises';
import type { Queryable } from '../db/types.js';
import { ApiError } from '../http-errors.js';

const SQL = {
	used: `select coalesce(sum(size), 0)::bigint::text as bytes from uploads where uploader_id = $1`,
	// Two uploads of one person commit one after the other, each seeing the other's size.
	lock: `select pg_advisory_xact_lock(hashtext('parley:quota'), hashtext($1))`
};

/** Seconds a client is told to wait before trying an upload again on a full disk. */
const STORAGE_FULL_RETRY_AFTER_S = 600;
/** Answers given while the body may still arrive close the connection (see receive.ts). */
const CLOSE = { connection: 'close' };

/** Bytes of uploads `userId` made (what counts against the quota). */
export async function storageUsed(db: Queryable, userId: string): Promise<number> {
	const [row] = await db.query<{ bytes: string }>(SQL.used, [userId]);
	return Number(row?.bytes ?? 0);
}

/** Free and total bytes of the disk holding `dir` (for unprivileged users: what they may still write). */
export async function diskSpace(dir: string): Promise<{ freeBytes: number; totalBytes: number }> {
	const info = await statfs(dir);
	return { freeBytes: info.bavail * info.bsize, totalBytes: info.blocks * info.bsize };
}

export const quotaExceeded = (quota: number) =>
	new ApiError(413, 'quota_exceeded', `Your uploads would pass your storage quota of ${quota} bytes; remove some first`, {
		headers: CLOSE
	});

export const storageFull = () =>
	new ApiError(507, 'storage_full', 'The server is low on disk space and takes no uploads for now; messages still work', {
		headers: { ...CLOSE, 'retry-after': String(STORAGE_FULL_RETRY_AFTER_S) }
	});

/** How much one upload may still store, and which limit binds first. */
export interface UploadRoom {
	bytes: number;
	/** The limit that ends the room: passing `bytes` is refused with this one's answer. */
	binding: 'size' | 'quota' | 'disk';
}

/**
 * The room for one upload of `userId`, refused at once (before the body is read) when there is
 * none: 413 `quota_exceeded` past the quota, 507 `storage_full` under the free-disk floor.
 */
export async function uploadRoom(
	deps: {
		db: Queryable;
		dataDir: string;
		maxBytes: number;
		limits: { uploadQuotaBytes: number; diskFreeFloorBytes: number };
		onLowDisk?: (free: number) => void;
	},
	userId: string
): Promise<UploadRoom> {
	const { uploadQuotaBytes: quota, diskFreeFloorBytes: floor } = deps.limits;
	const { freeBytes } = await diskSpace(deps.dataDir);
	const disk = freeBytes - floor;
	if (disk <= 0) {
		deps.onLowDisk?.(freeBytes);
		throw storageFull();
	}
	const left = quota > 0 ? quota - (await storageUsed(deps.db, userId)) : Infinity;
	if (left <= 0) throw quotaExceeded(quota);
	const bytes = Math.min(deps.maxBytes, left, disk);
	return { bytes, binding: bytes === deps.maxBytes ? 'size' : bytes === left ? 'quota' : 'disk' };
}

/** Inside the upload's transaction: its `size` still fits the quota once the person's other uploads committed. */
export async function holdQuota(tx: Queryable, userId: string, size: number, quota: number): Promise<void> {
	if (quota <= 0) return;
	await tx.query(SQL.lock, [userId]);
	if ((await storageUsed(tx, userId)) + size > quota) throw quotaExceeded(quota);
}

/** What Settings and `GET /api/me/storage` show: my uploads' bytes and my quota (null: no quota). */
export async function storageOf(
	db: Queryable,
	limits: { uploadQuotaBytes: number },
	userId: string
): Promise<{ usedBytes: number; quotaBytes: number | null }> {
	return { usedBytes: await storageUsed(db, userId), quotaBytes: limits.uploadQuotaBytes > 0 ? limits.uploadQuotaBytes : null };
}
