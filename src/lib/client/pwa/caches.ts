/** Cache Storage clean-up at sign-out. */
import { isUserNeutralCache } from './cache-names.js';
import { WIPE_MEDIA } from './messages.js';

/** How long sign-out waits for the service worker's media wipe (an old worker without it never answers). */
const WORKER_WIPE_TIMEOUT_MS = 5000;

/**
 * Asks the controlling service worker to finish its queued media-cache writes and delete the
 * media caches after them (a picture still downloading at sign-out would otherwise re-create the
 * cache just after the page deleted it). Resolves true when the worker answered; false with no
 * worker, or after WORKER_WIPE_TIMEOUT_MS.
 */
export async function wipeWorkerMedia(
	container: ServiceWorkerContainer | undefined = globalThis.navigator?.serviceWorker
): Promise<boolean> {
	const worker = container?.controller;
	if (!worker) return false;
	const channel = new MessageChannel();
	const answered = new Promise<boolean>((resolve) => {
		const timer = setTimeout(() => resolve(false), WORKER_WIPE_TIMEOUT_MS);
		channel.port1.onmessage = () => {
			clearTimeout(timer);
			resolve(true);
		};
	});
	worker.postMessage({ type: WIPE_MEDIA }, [channel.port2]);
	const done = await answered;
	channel.port1.close();
	return done;
}

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
