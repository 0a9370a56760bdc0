/**
 * The chat's side of search (issue 20): the message the search box asked to open (`?m=<id>` and
 * the words to mark, `hl`, one per line), and "Find in chat": the device's index of this chat
 * at once, the server's results beyond what the device holds when online, oldest first.
 */
import { tokenize } from '$lib/search/query';
import type { ApiMessageHit, ApiSearchParams } from '$lib/client/api';
import type { LocalFilters, LocalHit } from '$lib/client/search/local-index';

/** At most this many words to mark come from an address (the search allows 8; links are typed by hand too). */
const MAX_MARKED_WORDS = 16;

/** The message to open and the words to mark, from the address (null when none). */
export function searchTarget(url: URL): { messageId: string; words: string[] } | null {
	const messageId = url.searchParams.get('m');
	if (!messageId) return null;
	const words = (url.searchParams.get('hl') ?? '')
		.split('\n')
		.map((w) => w.trim())
		.filter(Boolean)
		.slice(0, MAX_MARKED_WORDS);
	return { messageId, words };
}

/** What "Find in chat" found: message ids oldest first, the words to mark, and whether only the device answered. */
export interface FoundInChat {
	ids: string[];
	words: string[];
	deviceOnly: boolean;
}

export interface FindDeps {
	conversationId: string;
	/** the device's index (null where there is no worker) */
	index: { query(q: string, filters?: LocalFilters): Promise<LocalHit[]> } | null;
	online: boolean;
	remote: (params: ApiSearchParams) => Promise<{ messages: ApiMessageHit[] }>;
	/** the old scan of the cached messages, where there is no index */
	substring: (q: string) => string[];
}

/** Searches one chat: the device, then (online) the server; one entry per message. */
export async function findInChat(query: string, deps: FindDeps): Promise<FoundInChat> {
	if (query.trim() === '') return { ids: [], words: [], deviceOnly: !deps.online };
	const at = new Map<string, number>();
	const words = new Set<string>();
	let deviceOnly = !deps.online;
	if (deps.index) {
		for (const hit of await deps.index.query(query, { conversationId: deps.conversationId })) {
			at.set(hit.messageId, hit.createdAt);
			for (const w of hit.highlights) words.add(w);
		}
	} else {
		deps.substring(query).forEach((id, i) => at.set(id, i));
		for (const token of tokenize(query)) words.add(token.text);
	}
	if (deps.online) {
		try {
			const page = await deps.remote({ q: query, conversationId: deps.conversationId });
			for (const hit of page.messages) {
				if (!at.has(hit.messageId)) at.set(hit.messageId, Date.parse(hit.createdAt));
				for (const w of hit.highlights) words.add(w);
			}
		} catch {
			deviceOnly = true;
		}
	}
	const ids = [...at.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
	return { ids, words: [...words], deviceOnly };
}
