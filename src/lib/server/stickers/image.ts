/**
 * A sticker image as stored: typed by its bytes (sharp reads the header; the declared type is
 * ignored), decoded with a pixel limit (decompression bombs), the first frame only, fitted into
 * a `stickerSizePx` square (never enlarged), transparency kept, re-encoded as WebP. Re-encoding
 * drops every byte of metadata (EXIF, GPS, XMP, ICC comments).
 */
import sharp, { type Metadata } from 'sharp';
import { fieldError } from '../http-errors.js';
import { imageQueued } from '../uploads/image-work.js';
import { headerPixelsOver, pixelsOver } from '../uploads/image-header.js';
import type { WorkQueue } from '../work-queue.js';

/** Formats accepted as sticker input, by what sharp detects in the bytes (no SVG: it is a document). */
const ACCEPTED_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif', 'avif']);
/** WebP quality: stickers are drawings with flat colours and sharp edges. */
const WEBP_QUALITY = 90;

/** Limits the conversion obeys (named in config.ts). */
export interface StickerImageLimits {
	stickerMaxInputPixels: number;
	stickerSizePx: number;
}

const unsupported = () => fieldError('file', 'send a PNG, WebP, JPEG, GIF or AVIF image', 'unsupported_type', 415);

/** Converts through the process's bounded image queue (503 `busy` when it is full); 413 pixel bomb, 415 not an image. */
export function toStickerWebp(
	bytes: Uint8Array,
	limits: StickerImageLimits,
	work: Pick<WorkQueue, 'run'>,
	userId?: string
): Promise<Buffer> {
	// The header's size before any decode, and before a place in the queue is taken.
	if (headerPixelsOver(bytes, limits.stickerMaxInputPixels)) return Promise.reject(pixelsOver(limits.stickerMaxInputPixels));
	return imageQueued(work, () => convert(bytes, limits), userId);
}

async function convert(bytes: Uint8Array, limits: StickerImageLimits): Promise<Buffer> {
	const limitInputPixels = limits.stickerMaxInputPixels;
	let meta: Metadata;
	try {
		meta = await sharp(bytes, { limitInputPixels: false }).metadata();
	} catch {
		throw unsupported();
	}
	if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) throw unsupported();
	// Checked from the header before anything is decoded: a tiny file may claim gigapixels.
	if ((meta.width ?? 0) * (meta.height ?? 0) > limitInputPixels)
		throw fieldError('file', `an image of at most ${limitInputPixels} pixels`, 'too_large', 413);
	try {
		// rotate() applies the EXIF orientation before the metadata is dropped (sharp keeps none by default).
		return await sharp(bytes, { limitInputPixels, animated: false, failOn: 'error' })
			.rotate()
			.resize(limits.stickerSizePx, limits.stickerSizePx, { fit: 'inside', withoutEnlargement: true })
			.webp({ quality: WEBP_QUALITY, alphaQuality: 100 })
			.toBuffer();
	} catch {
		throw fieldError('file', 'the image could not be decoded', 'unsupported_type', 415);
	}
}
