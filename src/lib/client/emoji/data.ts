/**
 * The emoji picker's data: a static file shipped with the app (scripts/emoji-data.js writes it
 * from emojibase-data; the service worker precaches it, so the picker works offline and no CDN
 * is asked), loaded on the first open and searched in English and Russian at once.
 */

/** The emojibase-data version of static/emoji/emoji-<version>.json (a unit test checks both agree). */
export const EMOJI_DATA_VERSION = '17.0.0';

/** Path of the data file under the app's root. */
export const EMOJI_DATA_PATH = `/emoji/emoji-${EMOJI_DATA_VERSION}.json`;

/** The picker's categories, in the order of the file's group numbers. */
export const EMOJI_GROUPS = ['smileys', 'people', 'animals', 'food', 'travel', 'activities', 'objects', 'symbols', 'flags'] as const;
export type EmojiGroup = (typeof EMOJI_GROUPS)[number];

/** Languages the data names emoji in. */
export type EmojiLanguage = 'en' | 'ru';

export interface EmojiEntry {
	emoji: string;
	group: EmojiGroup;
	names: Record<EmojiLanguage, string>;
	/** Every word of both names and both keyword lists, normalised, each preceded by a space. */
	words: string;
}

export const EMOJI_SEARCH_LIMITS = {
	/** Entries read from the file at most (it holds ~1 900). */
	entries: 4000,
	/** A query is cut to this many characters and words. */
	queryChars: 64,
	queryWords: 8,
	/** Results shown at most. */
	results: 200
} as const;

/** Lower case, ё as е (Russian is often typed without ё), punctuation as spaces. */
export function normaliseWords(text: string): string {
	return text
		.toLowerCase()
		.replaceAll('ё', 'е')
		.replace(/[^\p{L}\p{N}+]+/gu, ' ')
		.trim();
}

/** Turns the file's rows into entries, skipping malformed ones. */
export function parseEmojiData(raw: unknown): EmojiEntry[] {
	const rows = (raw as { emoji?: unknown } | null)?.emoji;
	if (!Array.isArray(rows)) throw new Error('emoji data: no list');
	const out: EmojiEntry[] = [];
	for (const row of rows.slice(0, EMOJI_SEARCH_LIMITS.entries)) {
		if (!Array.isArray(row) || row.length < 6 || !row.every((cell, i) => (i === 1 ? typeof cell === 'number' : typeof cell === 'string')))
			continue;
		const [emoji, groupIndex, en, ru, enTags, ruTags] = row as [string, number, string, string, string, string];
		const group = EMOJI_GROUPS[groupIndex];
		if (!group || !emoji) continue;
		out.push({ emoji, group, names: { en, ru }, words: ' ' + normaliseWords(`${en} ${ru} ${enTags} ${ruTags}`) });
	}
	return out;
}

/**
 * Entries matching `query` in either language: each query word must start a word of the names or
 * keywords ("thumbs", "палец", "thu up"). An exact name comes first, then matches in a name
 * (shortest name first: "heart" finds "red heart" before "heart with arrow"), then keyword-only
 * matches in the file's order (Unicode's, which groups alike emoji).
 */
export function searchEmoji(entries: readonly EmojiEntry[], query: string, limit: number = EMOJI_SEARCH_LIMITS.results): EmojiEntry[] {
	const normal = normaliseWords(query.slice(0, EMOJI_SEARCH_LIMITS.queryChars));
	const words = normal.split(' ').filter(Boolean).slice(0, EMOJI_SEARCH_LIMITS.queryWords);
	if (words.length === 0) return [];
	const exact: EmojiEntry[] = [];
	const named: { entry: EmojiEntry; length: number }[] = [];
	const tagged: EmojiEntry[] = [];
	for (const entry of entries) {
		if (!words.every((word) => entry.words.includes(' ' + word))) continue;
		const names = [normaliseWords(entry.names.en), normaliseWords(entry.names.ru)];
		if (names.includes(normal)) exact.push(entry);
		else {
			const matching = names.filter((name) => words.every((word) => (' ' + name).includes(' ' + word)));
			if (matching.length > 0) named.push({ entry, length: Math.min(...matching.map((name) => name.length)) });
			else tagged.push(entry);
		}
	}
	named.sort((a, b) => a.length - b.length); // stable: file order among equals
	return [...exact, ...named.map(({ entry }) => entry), ...tagged].slice(0, Math.max(0, limit));
}

let loading: Promise<EmojiEntry[]> | null = null;

/** Loads the data once per page (a failure, e.g. offline before the worker cached it, is retried on the next call). */
export function loadEmojiData(fetcher: typeof fetch = fetch, path: string = EMOJI_DATA_PATH): Promise<EmojiEntry[]> {
	loading ??= (async () => {
		const response = await fetcher(path);
		if (!response.ok) throw new Error(`emoji data: HTTP ${response.status}`);
		return parseEmojiData(await response.json());
	})();
	loading.catch(() => (loading = null));
	return loading;
}
