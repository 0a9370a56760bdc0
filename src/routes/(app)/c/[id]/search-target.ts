/**
 * The message the search box asked the chat to open (`?m=<id>`) and the words to mark (`hl`, one
 * per line): issue 20.
 */

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
