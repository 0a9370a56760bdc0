/**
 * The messages between the page and the search worker: a request carries an id, the answer the
 * same id. Only plain data crosses (structured clone). Imports nothing heavy: the page's side
 * (client.ts) loads this, never the index itself.
 */
import type { IndexChange, IndexMessage, LocalFilters, LocalHit, SyncCounts } from './local-index.js';

/** What the page asks, by `type`, with what each answers. */
export interface SearchCalls {
	/** Loads `userId`'s saved index (or starts an empty one). Must come first. */
	open: { params: { userId: string }; result: { size: number; loaded: boolean } };
	/** Applies message changes (from a conversation's document as they happen). */
	apply: { params: { changes: IndexChange[] }; result: { applied: number } };
	/** Brings one conversation in line with its messages on the device (after its document loaded). */
	sync: { params: { conversationId: string; messages: IndexMessage[] }; result: SyncCounts };
	/** Drops a conversation's messages (left or deleted). */
	forget: { params: { conversationId: string }; result: { removed: number } };
	/** Searches: the search box's text, filters, and the clock's now (ms). */
	query: { params: { q: string; filters?: LocalFilters; now?: number }; result: { hits: LocalHit[] } };
	/** Size of the index now. */
	stats: { params: Record<never, never>; result: { size: number } };
	/** Saves now if anything changed (before the page goes away). */
	flush: { params: Record<never, never>; result: { saved: boolean } };
	/** Saves, closes the database and forgets the index (sign-out: before the wipe). */
	close: { params: Record<never, never>; result: { saved: boolean } };
}

export type SearchCallType = keyof SearchCalls;

/** A request: `{id, type, ...params}`. */
export type SearchRequest = { [T in SearchCallType]: { id: number; type: T } & SearchCalls[T]['params'] }[SearchCallType];

/** An answer to request `id`. */
export type SearchResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
