/**
 * Avatars: the upload is typed by its bytes (sharp reads the header; the declared type is
 * ignored), decoded with a pixel limit, cropped to a square WebP without metadata (no EXIF, no
 * GPS), and stored in the database so every instance serves it.
 */
import sharp from 'sharp';
import type { Db, Queryable } from '../db/index.js';
import { fieldError } from '../http-errors.js';
import { randomId } from '../ids.js';
import { imageQueued } from '../uploads/image-work.js';
import { headerPixelsOver, pixelsOver } from '../uploads/image-header.js';
import type { WorkQueue } from '../work-queue.js';

/** Where avatars are served; the id changes with every upload, so answers are immutable. */
export const AVATAR_PATH_PREFIX = '/api/avatars/';
/** Formats accepted as avatar input, by what sharp detects in the bytes. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);
/** WebP quality: small files, no visible loss at avatar sizes. */
const WEBP_QUALITY = 82;

const SQL = {
	insert: `insert into avatars (id, user_id, data, created_at) values ($1, $2, $3, $4)`,
	setUrl: `update users set avatar_url = $2 where id = $1`,
	deleteOthers: `delete from avatars where user_id = $1 and id <> $2`,
	deleteAll: `delete from avatars where user_id = $1`,
	get: `select data from avatars where id = $1`
};

/** Limits the conversion obeys. */
export interface AvatarLimits {
	avatarMaxBytes: number;
	avatarMaxInputPixels: number;
	avatarSizePx: number;
}

/**
 * Turns uploaded bytes into the stored square WebP; 413 too large, 415 not an image. The decoding
 * runs through `work`, the process's bounded image queue (503 `busy` when it is full).
 */
export async function toAvatarWebp(
	bytes: Uint8Array,
	limits: AvatarLimits,
	work: Pick<WorkQueue, 'run'>,
	userId?: string
): Promise<Buffer> {
	if (bytes.byteLength > limits.avatarMaxBytes)
		throw fieldError('file', `an avatar may be at most ${limits.avatarMaxBytes} bytes`, 'too_large', 413);
	// The header's size before any decode, and before a place in the queue is taken.
	if (headerPixelsOver(bytes, limits.avatarMaxInputPixels)) throw pixelsOver(limits.avatarMaxInputPixels);
	return imageQueued(work, () => convert(bytes, limits), userId);
}

async function convert(bytes: Uint8Array, limits: AvatarLimits): Promise<Buffer> {
	let format: string | undefined;
	try {
		format = (await sharp(bytes, { limitInputPixels: limits.avatarMaxInputPixels }).metadata()).format;
	} catch {
		format = undefined;
	}
	if (!format || !ACCEPTED_FORMATS.has(format))
		throw fieldError('file', 'send a JPEG, PNG, WebP, GIF, AVIF or HEIF image', 'unsupported_type', 415);
	try {
		// rotate() applies the EXIF orientation before metadata is dropped (sharp keeps none by default).
		return await sharp(bytes, { limitInputPixels: limits.avatarMaxInputPixels, animated: false })
			.rotate()
			.resize(limits.avatarSizePx, limits.avatarSizePx, { fit: 'cover', position: 'attention' })
			.webp({ quality: WEBP_QUALITY })
			.toBuffer();
	} catch {
		throw fieldError('file', 'the image could not be decoded', 'unsupported_type', 415);
	}
}

/** Stores a converted avatar as the user's current one; returns its URL. */
export async function saveAvatar(db: Db, input: { userId: string; webp: Buffer; now: number }): Promise<string> {
	const id = randomId();
	const url = `${AVATAR_PATH_PREFIX}${id}`;
	await db.transaction(async (tx) => {
		await tx.query(SQL.insert, [id, input.userId, input.webp, new Date(input.now)]);
		await tx.query(SQL.setUrl, [input.userId, url]);
		await tx.query(SQL.deleteOthers, [input.userId, id]);
	});
	return url;
}

/** Removes the user's avatar. */
export async function removeAvatar(db: Db, userId: string): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.query(SQL.setUrl, [userId, null]);
		await tx.query(SQL.deleteAll, [userId]);
	});
}

/** The WebP bytes of an avatar, or null. */
export async function readAvatar(db: Queryable, id: string): Promise<Uint8Array | null> {
	const [row] = await db.query<{ data: Uint8Array }>(SQL.get, [id]);
	return row ? new Uint8Array(row.data) : null;
}

/** The HTTP answer for stored avatar bytes: WebP, cached for good (ids change on upload), inert. */
export function avatarResponse(bytes: Uint8Array): Response {
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': 'image/webp',
			'content-length': String(bytes.byteLength),
			'cache-control': 'private, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff',
			// Opened directly, the image may not run or load anything.
			'content-security-policy': "default-src 'none'; sandbox"
		}
	});
}
