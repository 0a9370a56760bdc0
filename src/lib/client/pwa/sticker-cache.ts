/**
 * The service worker's one run-time cache: personal sticker images. Their bytes never change under
 * an id (the server says `immutable`), so cache first; the cache keeps the newest
 * `STICKER_CACHE_MAX_ENTRIES` and is deleted at sign-out with every other non-precache cache.
 */
import { STICKER_CACHE } from './cache-names.js';

/** Sticker images kept at most (a 512 px WebP is tens of KiB: a few MiB in all). */
export const STICKER_CACHE_MAX_ENTRIES = 300;

/** A sticker image's path (`/api/stickers/<pack>/<id>`), not the pack API (`/api/stickers/packs/…`). */
const STICKER_IMAGE_PATH = /^\/api\/stickers\/(?!packs\/)[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}$/;

/** Whether `pathname` is a sticker image the worker caches. */
export function isStickerImagePath(pathname: string): boolean {
	return STICKER_IMAGE_PATH.test(pathname);
}

/** Answers from the cache, else from the network (a 200 is kept, the oldest entries beyond the bound go). */
export async function cachedSticker(
	request: Request,
	storage: CacheStorage = caches,
	fetcher: (request: Request) => Promise<Response> = (r) => fetch(r)
): Promise<Response> {
	const cache = await storage.open(STICKER_CACHE);
	const hit = await cache.match(request);
	if (hit) return hit;
	const response = await fetcher(request);
	if (response.status === 200) {
		await cache.put(request, response.clone());
		// Cache keys come back in insertion order: the oldest go first.
		const keys = await cache.keys();
		for (const old of keys.slice(0, Math.max(0, keys.length - STICKER_CACHE_MAX_ENTRIES))) await cache.delete(old);
	}
	return response;
}
