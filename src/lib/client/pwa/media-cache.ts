/**
 * The service worker's media cache: uploads' files and thumbnails (`/api/uploads/<id>[/thumb]`)
 * seen once stay viewable offline. An id's bytes never change, so a cached answer is always
 * right: cache first, the network on a miss. Bounded in entries and bytes (media-lru.ts), least
 * recently used out first; use times live in a second cache of empty marker responses, so both
 * are plain Cache Storage that sign-out deletes with everything else not user-neutral.
 * Only whole files are stored (never 401/404, never a part); range requests (video, audio
 * seeking) are answered from the stored copy.
 */
import { parseUploadUrl } from '../../sync/uploads.js';
import { MEDIA_CACHE, MEDIA_INDEX_CACHE } from './cache-names.js';
import { MEDIA_CACHE_MAX_ENTRY_BYTES, MEDIA_CACHE_MAX_FILL_BYTES, evictionPlan, needsTouch, type LruEntry } from './media-lru.js';
import { rangeResponse } from './byte-range.js';

/** Marker headers of the index cache: the stored body's size and its last use. */
const BYTES_HEADER = 'x-parley-bytes';
const USED_AT_HEADER = 'x-parley-used-at';
/** The range a media element asks first: the whole file, which can then be stored. */
const FROM_START = /^bytes=0-$/;
/** "bytes 0-<last>/<size>": a part that is the whole file. */
const WHOLE_RANGE = /^bytes 0-(\d+)\/(\d+)$/;

/** What `wholeFileSize` reads of a response (a plain object in tests). */
export interface ResponseFacts {
	status: number;
	type: string;
	headers: Headers;
}

/**
 * The size of the whole file `response` carries when it may be stored, else null: a same-origin
 * 200 with a Content-Length up to MEDIA_CACHE_MAX_ENTRY_BYTES; or, answering a media element's
 * "bytes=0-" (`ranged`), a 206 covering every byte of a file up to MEDIA_CACHE_MAX_FILL_BYTES
 * (storing reads it to the end, which the element alone might not have done).
 */
export function wholeFileSize(response: ResponseFacts, ranged: boolean): number | null {
	if (response.type !== 'basic') return null;
	const length = Number(response.headers.get('content-length') ?? 'NaN');
	if (!Number.isSafeInteger(length) || length <= 0) return null;
	if (!ranged) return response.status === 200 && length <= MEDIA_CACHE_MAX_ENTRY_BYTES ? length : null;
	const whole = WHOLE_RANGE.exec(response.headers.get('content-range') ?? '');
	if (response.status !== 206 || !whole) return null;
	const size = Number(whole[2]);
	return Number(whole[1]) === size - 1 && length === size && size <= MEDIA_CACHE_MAX_FILL_BYTES ? size : null;
}

/** A 206 that covers the whole file, as the 200 it is stored as. */
function asWhole(part: Response): Response {
	const headers = new Headers(part.headers);
	headers.delete('content-range');
	return new Response(part.body, { status: 200, statusText: 'OK', headers });
}

/** True for a same-origin GET of an upload's file or thumbnail. */
export function isMediaRequest(request: Request, origin: string): boolean {
	if (request.method !== 'GET') return false;
	const url = new URL(request.url);
	return url.origin === origin && url.search === '' && parseUploadUrl(url.pathname) !== null;
}

export class MediaCache {
	/** Writes (store, touch, evict) one after another: eviction reads the index it must not race. */
	#writes: Promise<unknown> = Promise.resolve();
	/**
	 * Bumped by `wipe()`: a write asked for before a wipe (a picture still downloading at sign-out)
	 * is dropped instead of re-creating the cache the wipe just deleted (issue 21 item 15).
	 */
	#generation = 0;

	constructor(
		private readonly storage: CacheStorage,
		private readonly fetcher: (request: Request) => Promise<Response> = (request) => fetch(request),
		private readonly now: () => number = Date.now
	) {}

	/** The answer to a media request; `waitUntil` keeps the worker alive for the writes after it. */
	async handle(request: Request, waitUntil: (work: Promise<unknown>) => void): Promise<Response> {
		const generation = this.#generation;
		const url = new URL(request.url);
		const key = url.origin + url.pathname;
		const range = request.headers.get('range');
		const cache = await this.storage.open(MEDIA_CACHE);
		const hit = await cache.match(key, { ignoreVary: true });
		if (hit) {
			waitUntil(this.#serial(generation, () => this.#touch(key, hit)));
			return rangeResponse(hit, range);
		}
		// A seek into a file not stored yet goes to the server as asked (a part is never stored).
		if (range && !FROM_START.test(range.trim())) return this.fetcher(request);
		const response = await this.fetcher(request);
		const size = wholeFileSize(response, range !== null);
		if (size === null) return response;
		// Cloned now: once the page has read the answer, its body can no longer be copied.
		const copy = response.clone();
		const whole = range ? asWhole(copy) : copy;
		waitUntil(this.#serial(generation, () => this.#store(key, whole, size)));
		return response;
	}

	/**
	 * Sign-out: waits for every write already queued, deletes the media caches after them, and drops
	 * any write asked for before this call that has not been queued yet. Resolves once both caches
	 * are gone and nothing of before can bring them back.
	 */
	wipe(): Promise<void> {
		this.#generation++;
		return this.#serial(this.#generation, async () => {
			await Promise.all([this.storage.delete(MEDIA_CACHE), this.storage.delete(MEDIA_INDEX_CACHE)]);
		});
	}

	#serial(generation: number, work: () => Promise<void>): Promise<void> {
		const next = this.#writes
			.then(() => (generation === this.#generation ? work() : undefined))
			.catch((error: unknown) => this.#onError(error));
		this.#writes = next;
		return next;
	}

	async #store(key: string, response: Response, bytes: number): Promise<void> {
		const cache = await this.storage.open(MEDIA_CACHE);
		await cache.put(key, response);
		await this.#mark(key, bytes);
		await this.#evict();
	}

	async #touch(key: string, hit: Response): Promise<void> {
		const index = await this.storage.open(MEDIA_INDEX_CACHE);
		const marker = await index.match(key);
		const usedAt = Number(marker?.headers.get(USED_AT_HEADER) ?? 'NaN');
		if (marker && !needsTouch(usedAt, this.now())) return;
		await this.#mark(key, Number(marker?.headers.get(BYTES_HEADER) ?? hit.headers.get('content-length') ?? 0));
	}

	async #mark(key: string, bytes: number): Promise<void> {
		const index = await this.storage.open(MEDIA_INDEX_CACHE);
		await index.put(key, new Response(null, { headers: { [BYTES_HEADER]: String(bytes), [USED_AT_HEADER]: String(this.now()) } }));
	}

	/** Deletes the least recently used entries beyond the bounds (an entry without a marker counts as oldest). */
	async #evict(): Promise<void> {
		const cache = await this.storage.open(MEDIA_CACHE);
		const index = await this.storage.open(MEDIA_INDEX_CACHE);
		const entries: LruEntry[] = [];
		for (const request of await cache.keys()) {
			const marker = await index.match(request.url);
			entries.push({
				key: request.url,
				bytes: Number(marker?.headers.get(BYTES_HEADER) ?? 0) || 0,
				usedAt: Number(marker?.headers.get(USED_AT_HEADER) ?? 0) || 0
			});
		}
		for (const key of evictionPlan(entries)) await Promise.all([cache.delete(key), index.delete(key)]);
	}

	/** Out of storage: the whole media cache goes (Workbox's purgeOnQuotaError); it only saves downloads. */
	async #onError(error: unknown): Promise<void> {
		if ((error as { name?: unknown } | null)?.name !== 'QuotaExceededError') {
			// Not storing only costs a download later: the answer itself was already given.
			console.warn('media cache:', error);
			return;
		}
		await Promise.all([this.storage.delete(MEDIA_CACHE), this.storage.delete(MEDIA_INDEX_CACHE)]);
	}
}
