/**
 * An image's size read from its header, before any decode and before it takes a place in the
 * image queue: a 250 KB PNG can claim 64 megapixels (256 MB decoded), so a bomb is refused
 * for the price of reading a few bytes (issue 21, item 4). PNG, JPEG, GIF, WebP and BMP; other
 * types (AVIF) answer null and rely on sharp's own limit (`limitInputPixels`), as every type does too.
 */
import { open } from 'node:fs/promises';
import { fieldError } from '../http-errors.js';

/** Bytes of a file read for its header: JPEG's size marker may follow EXIF and ICC segments. */
export const IMAGE_HEADER_BYTES = 256 * 1024;

/** Width and height as the header states them, or null when they are not found in `bytes`. */
export function imageHeaderSize(bytes: Uint8Array): { width: number; height: number } | null {
	const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const ascii = (at: number, text: string) => b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text;
	// PNG: the signature, then IHDR (width and height, big-endian).
	if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && ascii(12, 'IHDR'))
		return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
	// GIF: the logical screen (every frame is decoded at this size).
	if ((ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) && b.length >= 10) return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
	// BMP: the info header (a negative height means top-down rows).
	if (ascii(0, 'BM') && b.length >= 26) return { width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)) };
	// WebP: RIFF….WEBP, then a VP8X (canvas), VP8L (lossless) or VP8 (lossy) chunk.
	if (ascii(0, 'RIFF') && ascii(8, 'WEBP') && b.length >= 30) {
		if (ascii(12, 'VP8X')) return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
		if (ascii(12, 'VP8L')) {
			const bits = b.readUInt32LE(21);
			return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
		}
		if (ascii(12, 'VP8 ')) return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
		return null;
	}
	// JPEG: walk the segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC).
	if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
		let at = 2;
		while (at + 9 <= b.length) {
			if (b[at] !== 0xff) return null;
			const marker = b[at + 1]!;
			if (marker === 0xff) {
				at++;
				continue;
			}
			if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
				return { width: b.readUInt16BE(at + 7), height: b.readUInt16BE(at + 5) };
			if (marker === 0xd9 || marker === 0xda) return null;
			at += 2 + b.readUInt16BE(at + 2);
		}
	}
	return null;
}

/** True when the header states more than `maxPixels` pixels (unknown sizes are left to sharp). */
export function headerPixelsOver(bytes: Uint8Array, maxPixels: number): boolean {
	const size = imageHeaderSize(bytes);
	return size !== null && size.width * size.height > maxPixels;
}

/** The same for a file: only its first IMAGE_HEADER_BYTES are read. */
export async function fileHeaderPixelsOver(file: string, maxPixels: number): Promise<boolean> {
	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.alloc(IMAGE_HEADER_BYTES);
		const { bytesRead } = await handle.read(buffer, 0, IMAGE_HEADER_BYTES, 0);
		return headerPixelsOver(buffer.subarray(0, bytesRead), maxPixels);
	} finally {
		await handle.close();
	}
}

/** 413 for an image whose header states more pixels than allowed (avatars, stickers). */
export const pixelsOver = (maxPixels: number) => fieldError('file', `more than ${maxPixels} pixels`, 'too_large', 413);
