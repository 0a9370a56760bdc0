// A people search as one types: one request per pause in typing, and only the newest answer counts.

/** Wait this long after the last key before asking the server (one request per pause, not per key). */
export const SEARCH_DEBOUNCE_MS = 200;

/**
 * Returns the function to call on every input: an empty query answers `[]` at once; otherwise
 * `search` runs after a pause, and its answer (or failure) is handed on only if no newer query came.
 */
export function debouncedSearch<T>(
	search: (query: string) => Promise<T[]>,
	onresult: (found: T[]) => void,
	onerror: (error: unknown) => void
): (query: string) => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let latest = 0;
	return (query) => {
		clearTimeout(timer);
		const ticket = ++latest;
		const q = query.trim();
		if (!q) return onresult([]);
		timer = setTimeout(async () => {
			try {
				const found = await search(q);
				if (ticket === latest) onresult(found);
			} catch (error) {
				if (ticket === latest) onerror(error);
			}
		}, SEARCH_DEBOUNCE_MS);
	};
}
