/**
 * Bounds of the on-device search index (docs/search.md, "On the device"). It runs in a worker in
 * the browser, on phones too: every bound keeps its memory, its IndexedDB copy and the time a
 * save takes proportional to what it is allowed to hold, whatever a device has cached.
 */
export const LOCAL_SEARCH_LIMITS = {
	/**
	 * Messages indexed at most. Past it the oldest (by their time) are dropped, a twentieth at a
	 * time: 100 000 messages took 94 MiB of worker heap and a 33 MiB snapshot (npm run bench --
	 * search-local), so this is about 200 MiB at most.
	 */
	maxMessages: 200_000,
	/** Characters of one message indexed (a message may be 16 KiB; a search for a word past this misses it). */
	maxIndexedChars: 4096,
	/** Characters of one message kept for its snippet in results (the snippet is around the first match inside these). */
	maxStoredChars: 1000,
	/**
	 * Characters of the saved index (its JSON, one IndexedDB value) at most: past it, the oldest
	 * messages are dropped before saving, a tenth at a time.
	 */
	maxSnapshotChars: 96 * 1024 * 1024,
	/** Results one query answers at most. */
	maxResults: 50,
	/** Changes one `apply` call takes at most (a bigger batch is refused: the caller splits it). */
	maxChangesPerCall: 10_000,
	/** Delay between the last change and the save (changes in between are saved together). */
	saveDelayMs: 2000
} as const;

export type LocalSearchLimits = { -readonly [K in keyof typeof LOCAL_SEARCH_LIMITS]: number };
