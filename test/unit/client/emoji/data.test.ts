// The picker's data file and its search: both languages whatever the UI language, ranking, limits.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
	EMOJI_DATA_PATH,
	EMOJI_DATA_VERSION,
	EMOJI_GROUPS,
	EMOJI_SEARCH_LIMITS,
	loadEmojiData,
	normaliseWords,
	parseEmojiData,
	searchEmoji
} from '$lib/client/emoji/data';

const require = createRequire(import.meta.url);
const file = new URL(`../../../../static${EMOJI_DATA_PATH}`, import.meta.url);
const entries = parseEmojiData(JSON.parse(fs.readFileSync(file, 'utf8')));
const emojiOf = (query: string) => searchEmoji(entries, query).map((e) => e.emoji);

describe('emoji data file', () => {
	it('is the one scripts/emoji-data.js writes from the installed emojibase-data', () => {
		expect((require('emojibase-data/package.json') as { version: string }).version).toBe(EMOJI_DATA_VERSION);
		expect(fs.readdirSync(new URL('../../../../static/emoji/', import.meta.url))).toEqual([`emoji-${EMOJI_DATA_VERSION}.json`]);
	});

	it('holds every group, unique emoji, with English and Russian names', () => {
		expect(entries.length).toBeGreaterThan(1800);
		expect(new Set(entries.map((e) => e.group))).toEqual(new Set(EMOJI_GROUPS));
		expect(new Set(entries.map((e) => e.emoji)).size).toBe(entries.length);
		const thumbs = entries.find((e) => e.emoji === '👍');
		expect(thumbs?.names).toEqual({ en: 'thumbs up', ru: 'большой палец вверх' });
		// the common reactions are there in the form reactions store (❤️ keeps its selector, 👍 needs none)
		for (const emoji of ['👍', '❤️', '😂', '😮', '😢', '🙏']) expect(entries.some((e) => e.emoji === emoji)).toBe(true);
		expect(entries.some((e) => e.emoji === '👍\uFE0F')).toBe(false);
	});

	it('skips malformed rows and refuses a file without a list', () => {
		expect(() => parseEmojiData({})).toThrow();
		expect(
			parseEmojiData({ emoji: [['😀', 0, 'a', 'б', '', ''], ['😀', 99, 'a', 'б', '', ''], ['x'], 'row', ['😀', '0', 'a', 'b', '', '']] })
		).toHaveLength(1);
	});
});

describe('emoji search', () => {
	it('finds by English and Russian words, name first', () => {
		expect(emojiOf('thumbs').slice(0, 2)).toEqual(['👍', '👎']);
		expect(emojiOf('палец')).toContain('👍');
		expect(emojiOf('большой палец').slice(0, 2).sort()).toEqual(['👍', '👎'].sort());
		expect(emojiOf('палец вверх')[0]).toBe('👍');
		expect(emojiOf('сердце')).toContain('❤️');
		expect(emojiOf('heart').slice(0, 3)).toContain('❤️');
		expect(emojiOf('red heart')[0]).toBe('❤️');
	});

	it('matches word prefixes in any order, ignoring case, punctuation and ё', () => {
		expect(emojiOf('UP THUMB')).toContain('👍');
		expect(emojiOf('thumbs-up')[0]).toBe('👍');
		expect(normaliseWords('Ёлка, ЁЖ!')).toBe('елка еж');
		expect(emojiOf('ёлка')).toContain('🎄');
		expect(emojiOf('humbs')).not.toContain('👍');
	});

	it('answers nothing for an empty query and caps results and query', () => {
		expect(emojiOf('   ')).toEqual([]);
		expect(searchEmoji(entries, 'face').length).toBeLessThanOrEqual(EMOJI_SEARCH_LIMITS.results);
		expect(searchEmoji(entries, 'face', 5)).toHaveLength(5);
		// what is past the cut is not asked for
		expect(emojiOf('thumbs' + ' '.repeat(EMOJI_SEARCH_LIMITS.queryChars) + 'zzz')).toContain('👍');
		expect(emojiOf('thumbs '.repeat(EMOJI_SEARCH_LIMITS.queryWords) + 'zzz')).toContain('👍');
	});
});

describe('loadEmojiData', () => {
	it('fetches once, and again after a failure', async () => {
		let calls = 0;
		const failing = (async () => {
			calls++;
			throw new TypeError('Failed to fetch');
		}) as unknown as typeof fetch;
		await expect(loadEmojiData(failing)).rejects.toThrow('Failed to fetch');
		const body = fs.readFileSync(file, 'utf8');
		const working = (async (url: string) => {
			calls++;
			expect(url).toBe(EMOJI_DATA_PATH);
			return new Response(body, { headers: { 'content-type': 'application/json' } });
		}) as unknown as typeof fetch;
		const [a, b] = await Promise.all([loadEmojiData(working), loadEmojiData(working)]);
		expect(a).toBe(b);
		expect(a.length).toBe(entries.length);
		expect(calls).toBe(2);
	});
});
