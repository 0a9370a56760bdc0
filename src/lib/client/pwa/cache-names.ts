/**
 * Cache Storage names. Workbox names its precache `workbox-precache-v2-<scope>`; the precache
 * holds only the build, static files and the shell, identical for every user. Any other cache
 * (none today: the worker caches nothing at run time) could hold user data and is deleted at
 * sign-out.
 */

/** Prefix of Workbox's precache (build, static files, shell). */
export const PRECACHE_PREFIX = 'workbox-precache';

/** True for a cache whose content is the same for every user (kept at sign-out). */
export function isUserNeutralCache(name: string): boolean {
	return name.startsWith(PRECACHE_PREFIX);
}

/**
 * Images of personal stickers (`/api/stickers/<pack>/<id>`, immutable), cached at run time so
 * stickers seen once show offline. Bounded (sticker-cache.ts); not user-neutral: wiped at sign-out.
 */
export const STICKER_CACHE = 'parley-stickers';
