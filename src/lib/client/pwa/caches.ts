/** Cache Storage clean-up at sign-out. */
import { isUserNeutralCache } from './cache-names.js';

/**
 * Deletes every cache except Workbox's precache (build, static files, shell: the same for every
 * user). Sign-out calls it; returns the names deleted: the media cache (uploads seen) and any
 * cache a later feature (or library) opens.
 */
export async function clearPwaCaches(storage: CacheStorage | undefined = globalThis.caches): Promise<string[]> {
	if (!storage) return [];
	const names = (await storage.keys()).filter((name) => !isUserNeutralCache(name));
	await Promise.all(names.map((name) => storage.delete(name)));
	return names;
}
