/**
 * Where uploads are served, shared by the browser (which puts these URLs into envelopes) and the
 * relay (which checks them, R27). An upload's URL is a function of its id alone.
 */
import { ID_PATTERN, SYNC_LIMITS } from './schema.js';

/** Path prefix of every upload URL. */
export const UPLOAD_PATH_PREFIX = '/api/uploads/';

/** Which file of an upload a URL names: the served file, or an image's thumbnail. */
export type UploadVariant = 'file' | 'thumb';

/** The URL of an upload's served file. */
export const uploadUrl = (id: string) => `${UPLOAD_PATH_PREFIX}${id}`;

/** The URL of an image upload's thumbnail (WebP). */
export const uploadThumbUrl = (id: string) => `${UPLOAD_PATH_PREFIX}${id}/thumb`;

/** The upload id and variant a same-origin path names, or null when it names no upload. */
export function parseUploadUrl(url: string): { id: string; variant: UploadVariant } | null {
	if (!url.startsWith(UPLOAD_PATH_PREFIX)) return null;
	const [id, variant, ...rest] = url.slice(UPLOAD_PATH_PREFIX.length).split('/');
	if (!id || id.length > SYNC_LIMITS.maxIdLength || !ID_PATTERN.test(id) || rest.length > 0) return null;
	if (variant === undefined) return { id, variant: 'file' };
	return variant === 'thumb' ? { id, variant: 'thumb' } : null;
}

/** How the chat shows an upload. */
export type UploadKind = 'image' | 'video' | 'audio' | 'file';

/** Images sharp re-encodes (by file-type's MIME). */
export const IMAGES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif']);
/** Video browsers play (MOV is H.264 in QuickTime, which Chromium and Safari play). */
export const VIDEOS: ReadonlySet<string> = new Set([
	'video/mp4',
	'video/webm',
	'video/ogg',
	'video/quicktime',
	'video/matroska',
	'video/x-m4v'
]);
/** Audio browsers play (Ogg/Opus, MP3, M4A, WebM audio is caught below). */
export const AUDIO: ReadonlySet<string> = new Set([
	'audio/ogg',
	'audio/mpeg',
	'audio/mp4',
	'audio/x-m4a',
	'audio/aac',
	'audio/wav',
	'audio/flac',
	'audio/webm'
]);

/**
 * How the chat shows an attachment of this (served) type: the server decided it from the bytes,
 * so the browser only maps the answer. Anything not inline is a file card (a download).
 */
export function attachmentKind(mime: string): UploadKind {
	if (IMAGES.has(mime)) return 'image';
	if (VIDEOS.has(mime)) return 'video';
	if (AUDIO.has(mime)) return 'audio';
	return 'file';
}
