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
