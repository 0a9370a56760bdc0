/**
 * What an upload is, from its bytes alone (file-type reads the file's signature; the sender's
 * name and claimed type are never consulted). The answer says how it is stored and served.
 */
import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import { AUDIO, IMAGES, VIDEOS, type UploadKind } from '../../sync/uploads.js';

export { AUDIO, IMAGES, VIDEOS, type UploadKind };

/** What is done with the bytes before they are stored. */
export type Processing =
	/** decoded and re-encoded by sharp (metadata stripped, thumbnail and placeholder made) */
	| 'image'
	/** decoded by our BMP reader, then stored as PNG like any image */
	| 'bmp'
	/** stored as sent */
	| 'none';

export interface Detected {
	kind: UploadKind;
	/** The type the file is served as. */
	mime: string;
	processing: Processing;
}

/** Animated PNG: sharp reads its first frame only, so it is served as a still PNG. */
const STILL_PNG = 'image/apng';
/** Video browsers cannot play: accepted as files (a download). */
const VIDEO_FILES: ReadonlySet<string> = new Set(['video/vnd.avi', 'video/x-ms-asf', 'video/x-flv']);
/**
 * Containers that hold audio alone as well as video: the bytes say "WebM", not whether a video
 * track is in it. The browser's claim may only pick the audio reading of the same container
 * (a voice message recorded as audio/webm), which is as inert as the video one.
 */
const AUDIO_READING: Readonly<Record<string, string>> = {
	'video/webm': 'audio/webm',
	'video/ogg': 'audio/ogg',
	'video/mp4': 'audio/mp4',
	'video/matroska': 'audio/webm'
};
/** What file-type calls an SVG document (it reads XML, not what the XML is). */
const XML_TYPES: ReadonlySet<string> = new Set(['application/xml', 'text/xml']);
/** Bytes read to recognise text formats file-type leaves alone (SVG). */
const SNIFF_BYTES = 4096;
/** The type of a file nothing recognises. */
export const UNKNOWN_MIME = 'application/octet-stream';

/** The first bytes of a file. */
async function head(filePath: string, bytes: number): Promise<Buffer> {
	const handle = await open(filePath, 'r');
	try {
		const buffer = Buffer.alloc(bytes);
		const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** Whether text starts like an SVG document (after a BOM, XML declaration, comments, doctype). */
export function looksLikeSvg(text: string): boolean {
	const body = text.replace(/^\uFEFF/, '').replace(/^\s*(<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|\s)*/i, '');
	return /^<svg[\s>]/i.test(body);
}

/** Classifies a stored temporary file by its bytes (`claimed`: the browser's type, see AUDIO_READING). */
export async function detectUpload(filePath: string, claimed?: string | null): Promise<Detected> {
	const found = await fileTypeFromFile(filePath);
	// `audio/ogg; codecs=opus` → `audio/ogg`: parameters are not part of what envelopes carry
	const mime = found?.mime.split(';')[0]!.trim().toLowerCase();
	const audioReading = mime ? AUDIO_READING[mime] : undefined;
	if (audioReading && claimed?.split(';')[0]!.trim().toLowerCase().startsWith('audio/'))
		return { kind: 'audio', mime: audioReading, processing: 'none' };
	if (mime === STILL_PNG) return { kind: 'image', mime: 'image/png', processing: 'image' };
	if (mime === 'image/bmp') return { kind: 'image', mime: 'image/png', processing: 'bmp' };
	if (mime && IMAGES.has(mime)) return { kind: 'image', mime, processing: 'image' };
	// WebM and Matroska holding only audio are audio; file-type names the container `video/…`
	if (mime && VIDEOS.has(mime)) return { kind: 'video', mime, processing: 'none' };
	if (mime && VIDEO_FILES.has(mime)) return { kind: 'file', mime, processing: 'none' };
	if (mime && AUDIO.has(mime)) return { kind: 'audio', mime, processing: 'none' };
	// SVG can carry script: it is only ever a download, with a CSP that runs nothing (docs/uploads.md)
	if ((!mime || XML_TYPES.has(mime)) && looksLikeSvg((await head(filePath, SNIFF_BYTES)).toString('utf8')))
		return { kind: 'file', mime: 'image/svg+xml', processing: 'none' };
	return { kind: 'file', mime: mime ?? UNKNOWN_MIME, processing: 'none' };
}
