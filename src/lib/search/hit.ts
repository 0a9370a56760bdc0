/**
 * A message found by `GET /api/search`: the one shape the server answers and the app reads.
 */
import type { Snippet } from './snippet.js';

/** One result, as `GET /api/search` answers it (SPEC §10's fields first). */
export interface MessageHit {
	conversationId: string;
	messageId: string;
	authorId: string;
	createdAt: string;
	/** The message's Markdown source, as stored (the current edit). */
	text: string;
	editedAt: string | null;
	kind: string;
	conversation: { kind: string; title: string };
	/** null when the author's account is gone. */
	author: { displayName: string; username: string; alias?: string } | null;
	/** A plain-text piece around the first match, with the matched words' ranges (UTF-16 offsets). */
	snippet: Snippet;
	/** The distinct words of `text` that matched, as written: what to highlight in the opened chat. */
	highlights: string[];
}
