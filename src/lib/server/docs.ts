/**
 * Server-side access to the Yjs documents the relay holds: the conversation routes write system
 * envelopes and `meta`, the inbox writes inbox entries, deletion removes a document everywhere.
 * Implemented by the relay (server/relay); routes reach it as `runtime.docs`.
 */
import type * as Y from 'yjs';
import type { Envelope } from '$lib/sync/schema';

/**
 * A server write: changes the document, and reports through `mirror` the envelopes it appended to
 * `messages`, which are mirrored into the `messages` table in the same commit.
 */
export type ServerWrite = (doc: Y.Doc, mirror: (envelopes: readonly Envelope[]) => void) => void;

export interface DocService {
	/**
	 * Writes to a document as the server (loading it if needed); resolves once stored, together
	 * with the `messages` rows of the envelopes `write` reports. Clients see it after.
	 */
	write(docName: string, write: ServerWrite): Promise<void>;
	/** Reads from a document's current state (loading it if needed). */
	read<T>(docName: string, read: (doc: Y.Doc) => T): Promise<T>;
	/** Removes a document everywhere: its sockets close (4404), memory and stored copy go. */
	remove(docName: string): Promise<void>;
}
