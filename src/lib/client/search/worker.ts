/**
 * The search worker's entry: hosts the on-device index (host.ts) off the page's thread, so
 * indexing and queries never hold up typing or scrolling. Loaded by client.ts with
 * `new Worker(new URL('./worker.ts', import.meta.url), {type: 'module'})`: Vite builds it, with
 * MiniSearch and the stemmers, into a chunk of its own that the page never loads.
 */
/// <reference lib="webworker" />
import { SearchHost } from './host.js';
import { indexedDbSnapshotStore } from './store.js';
import type { SearchRequest } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const host = new SearchHost({
	openStore: (userId) => indexedDbSnapshotStore(userId),
	onError: (error) => console.warn('search index: could not save', error)
});
scope.onmessage = (event: MessageEvent<SearchRequest>) => {
	void host.handle(event.data).then((response) => scope.postMessage(response));
};
