/**
 * The page's side of the on-device search: a typed facade over the search worker. Import it
 * lazily (`await import('$lib/client/search/client')`) when the search box or the find bar is
 * first used; it starts the worker on its first call. It holds no index and imports no search
 * library, so the chat's initial JavaScript stays as it is.
 *
 * Wiring (the state layer's job): `open(userId)` once signed in; for each conversation document
 * once loaded, `sync(conversationId, messagesOf(doc))` and then `watchMessages` (feed.ts) feeding
 * `apply`; `close()` before the sign-out wipe (the wipe also deletes the database if it is open).
 */
import type { SearchCallType, SearchCalls, SearchRequest, SearchResponse } from './protocol.js';

/** What the page talks to: a Worker, or a MessagePort in tests. */
export interface SearchPort {
	postMessage(message: SearchRequest): void;
	addEventListener(type: 'message', listener: (event: MessageEvent<SearchResponse>) => void): void;
	terminate?(): void;
}

/** The search worker's calls, as promises. */
export type SearchClient = {
	[T in SearchCallType]: (params: SearchCalls[T]['params']) => Promise<SearchCalls[T]['result']>;
} & {
	/** Stops the worker (after `close`). */
	dispose(): void;
};

/** The built worker (Vite bundles worker.ts and its imports separately). */
function startWorker(): SearchPort {
	return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'parley-search' }) as unknown as SearchPort;
}

/** A client of the search worker; `makePort` is for tests (a MessagePort wired to a SearchHost). */
export function createSearchClient(makePort: () => SearchPort = startWorker): SearchClient {
	let port: SearchPort | null = null;
	let next = 0;
	const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
	const connect = () => {
		if (port) return port;
		port = makePort();
		port.addEventListener('message', (event) => {
			const answer = event.data;
			const waiting = pending.get(answer.id);
			if (!waiting) return;
			pending.delete(answer.id);
			if (answer.ok) waiting.resolve(answer.result);
			else waiting.reject(new Error(answer.error));
		});
		return port;
	};
	const call =
		<T extends SearchCallType>(type: T) =>
		(params: SearchCalls[T]['params']) =>
			new Promise<SearchCalls[T]['result']>((resolve, reject) => {
				const id = ++next;
				pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
				connect().postMessage({ id, type, ...params } as SearchRequest);
			});
	return {
		open: call('open'),
		apply: call('apply'),
		sync: call('sync'),
		forget: call('forget'),
		query: call('query'),
		stats: call('stats'),
		flush: call('flush'),
		close: call('close'),
		dispose() {
			port?.terminate?.();
			port = null;
			for (const waiting of pending.values()) waiting.reject(new Error('the search worker stopped'));
			pending.clear();
		}
	};
}
