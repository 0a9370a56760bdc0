/**
 * "Find in chat" (issue 20): the device's index of this chat at once, the server's results beyond
 * what the device holds when online, one entry per message, oldest first. Loaded on first use.
 */
import { tokenize } from '$lib/search/query';
import type { ApiMessageHit, ApiSearchParams } from '$lib/client/api';
import type { LocalFilters, LocalHit } from '$lib/client/search/local-index';

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
	/** the scan of the cached messages for the text as typed (parts of words too), oldest first */
	substring: (q: string) => string[];
	/** message ids in the document's order (the chat's order) */
	order: () => string[];
}

/**
 * Searches one chat: the cached messages holding the text as typed, the device's index (whole
 * words in any form) and, online, the server's; one entry per message, in the chat's order, those
 * the device does not hold yet (older history) first, oldest first.
 */
export async function findInChat(query: string, deps: FindDeps): Promise<FoundInChat> {
	if (query.trim() === '') return { ids: [], words: [], deviceOnly: !deps.online };
	const found = new Map<string, number>();
	const words = new Set<string>();
	let deviceOnly = !deps.online;
	for (const id of deps.substring(query)) found.set(id, 0);
	for (const token of tokenize(query)) words.add(token.text);
	if (deps.index)
		for (const hit of await deps.index.query(query, { conversationId: deps.conversationId })) {
			found.set(hit.messageId, hit.createdAt);
			for (const w of hit.highlights) words.add(w);
		}
	if (deps.online) {
		try {
			const page = await deps.remote({ q: query, conversationId: deps.conversationId });
			for (const hit of page.messages) {
				found.set(hit.messageId, Date.parse(hit.createdAt));
				for (const w of hit.highlights) words.add(w);
			}
		} catch {
			deviceOnly = true;
		}
	}
	const position = new Map(deps.order().map((id, i) => [id, i]));
	const ids = [...found.keys()].sort((a, b) => {
		const [pa, pb] = [position.get(a), position.get(b)];
		if (pa !== undefined && pb !== undefined) return pa - pb;
		if (pa === undefined && pb === undefined) return found.get(a)! - found.get(b)!;
		return pa === undefined ? -1 : 1;
	});
	return { ids, words: [...words], deviceOnly };
}
