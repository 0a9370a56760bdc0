/**
 * Bounds of the service worker's media cache and which entries leave it: pure, so the rule is
 * tested in Node. Entries are uploads' files and thumbnails (`/api/uploads/<id>[/thumb]`), whose
 * bytes never change under one URL; the least recently used leave first.
 */

/** Files and thumbnails kept at most. */
export const MEDIA_CACHE_MAX_ENTRIES = 500;
/** Bytes kept at most (a phone's share of storage is often a few hundred MB). */
export const MEDIA_CACHE_MAX_BYTES = 200 * 1024 * 1024;
/** A single response larger than this is never cached (a long video would push out hundreds of photos). */
export const MEDIA_CACHE_MAX_ENTRY_BYTES = 50 * 1024 * 1024;
/**
 * A media element's first request ("bytes=0-") is stored only for files up to this size: storing
 * reads the file to its end, and a video merely scrolled past (preload="metadata") should not
 * cost its whole download. Larger videos and audio stay online-only.
 */
export const MEDIA_CACHE_MAX_FILL_BYTES = 8 * 1024 * 1024;
/** A hit refreshes an entry's use time at most this often (a video's range requests come by the dozen). */
export const MEDIA_CACHE_TOUCH_INTERVAL_MS = 60_000;

/** What the cache knows of one entry. */
export interface LruEntry {
	key: string;
	bytes: number;
	usedAt: number;
}

export interface LruBounds {
	maxEntries: number;
	maxBytes: number;
}

export const MEDIA_CACHE_BOUNDS: LruBounds = { maxEntries: MEDIA_CACHE_MAX_ENTRIES, maxBytes: MEDIA_CACHE_MAX_BYTES };

/** Keys to delete, least recently used first, so that the rest fits both bounds. */
export function evictionPlan(entries: readonly LruEntry[], bounds: LruBounds = MEDIA_CACHE_BOUNDS): string[] {
	let count = entries.length;
	let bytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
	if (count <= bounds.maxEntries && bytes <= bounds.maxBytes) return [];
	const oldestFirst = [...entries].sort((a, b) => a.usedAt - b.usedAt || a.key.localeCompare(b.key));
	const evict: string[] = [];
	for (const entry of oldestFirst) {
		if (count <= bounds.maxEntries && bytes <= bounds.maxBytes) break;
		evict.push(entry.key);
		count--;
		bytes -= entry.bytes;
	}
	return evict;
}

/** True when an entry last used at `usedAt` should have its use time written again at `now`. */
export function needsTouch(usedAt: number, now: number): boolean {
	return now - usedAt >= MEDIA_CACHE_TOUCH_INTERVAL_MS || now < usedAt;
}
