/**
 * One result list from two engines (docs/search.md): the device's hits show at once, the server's
 * merge in as they come, one entry per message id. Pure, no Svelte: unit tests drive it.
 */
import type { ApiMessageHit } from '../api/index.js';
import type { LocalHit } from './local-index.js';

/** A message found, as the search box shows it. */
export interface MessageResult {
	conversationId: string;
	messageId: string;
	authorId: string;
	/** ms since the epoch */
	createdAt: number;
	snippet: { text: string; marks: [number, number][] };
	/** the matched words as written, to mark in the opened chat */
	highlights: string[];
	/** which engine found it: the device, the server, or both */
	source: 'device' | 'server' | 'both';
	/** from the server's answer (the device names chats and people from its own data) */
	chatTitle?: string;
	authorName?: string;
}

/** A device hit as a result. */
export function fromLocal(hit: LocalHit): MessageResult {
	return {
		conversationId: hit.conversationId,
		messageId: hit.messageId,
		authorId: hit.authorId,
		createdAt: hit.createdAt,
		snippet: { text: hit.snippet.text, marks: hit.snippet.marks.map(([a, b]) => [a, b]) },
		highlights: hit.highlights,
		source: 'device'
	};
}

/** A server hit as a result. */
export function fromServer(hit: ApiMessageHit): MessageResult {
	return {
		conversationId: hit.conversationId,
		messageId: hit.messageId,
		authorId: hit.authorId,
		createdAt: Date.parse(hit.createdAt),
		snippet: hit.snippet,
		highlights: hit.highlights,
		source: 'server',
		chatTitle: hit.conversation.title,
		authorName: hit.author ? (hit.author.alias ?? hit.author.displayName) : undefined
	};
}

/**
 * `shown` with `incoming` merged in: a message already listed keeps its place (nothing jumps under
 * the pointer) and takes the server's names and snippet; new ones go after, in their own order.
 */
export function mergeResults(shown: readonly MessageResult[], incoming: readonly MessageResult[]): MessageResult[] {
	const byId = new Map(incoming.map((r) => [r.messageId, r]));
	const merged = shown.map((result) => {
		const other = byId.get(result.messageId);
		if (!other) return result;
		byId.delete(result.messageId);
		const server = other.source === 'device' ? result : other;
		return {
			...result,
			...server,
			highlights: [...new Set([...result.highlights, ...other.highlights])],
			source: result.source === other.source ? result.source : ('both' as const)
		};
	});
	const seen = new Set(merged.map((r) => r.messageId));
	for (const result of incoming)
		if (byId.has(result.messageId) && !seen.has(result.messageId)) {
			seen.add(result.messageId);
			merged.push(result);
		}
	return merged;
}
