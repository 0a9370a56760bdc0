/**
 * Server-side access to the Yjs documents the relay holds: the conversation routes write system
 * envelopes and `meta`, the inbox writes inbox entries, deletion removes a document everywhere.
 * Implemented by the relay (server/relay); routes reach it as `runtime.docs`.
 */
import type * as Y from 'yjs';

export interface DocService {
	/** Writes to a document as the server (loading it if needed); resolves once stored. Clients see it after. */
	write(docName: string, write: (doc: Y.Doc) => void): Promise<void>;
	/** Reads from a document's current state (loading it if needed). */
	read<T>(docName: string, read: (doc: Y.Doc) => T): Promise<T>;
	/** Removes a document everywhere: its sockets close (4404), memory and stored copy go. */
	remove(docName: string): Promise<void>;
}
