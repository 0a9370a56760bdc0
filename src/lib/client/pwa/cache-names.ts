/**
 * Cache Storage names. Workbox names its precache `workbox-precache-v2-<scope>`; the precache
 * holds only the build, static files and the shell, identical for every user. Any other cache
 * can hold user data and is deleted at sign-out: today the media cache (uploads seen, and its
 * index of use times; media-cache.ts).
 */

/** Prefix of Workbox's precache (build, static files, shell). */
export const PRECACHE_PREFIX = 'workbox-precache';

/** Uploads' files and thumbnails seen by the signed-in user (the service worker's media cache). */
export const MEDIA_CACHE = 'parley-media-v1';
/** The media cache's entry sizes and use times (empty marker responses under the same URLs). */
export const MEDIA_INDEX_CACHE = 'parley-media-index-v1';

/** True for a cache whose content is the same for every user (kept at sign-out). */
export function isUserNeutralCache(name: string): boolean {
	return name.startsWith(PRECACHE_PREFIX);
}

/**
 * Images of personal stickers (`/api/stickers/<pack>/<id>`, immutable), cached at run time so
 * stickers seen once show offline. Bounded (sticker-cache.ts); not user-neutral: wiped at sign-out.
 */
export const STICKER_CACHE = 'parley-stickers';
