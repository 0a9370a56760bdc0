// The pieces of search that need no database: how the search box's text is parsed (shared by the
// server and the device), the tsquery text built from it, the cursor, and the marks and snippets.
import { describe, expect, it } from 'vitest';
import { parseQuery, tokenize } from '$lib/search/query';
import { mergeRanges, snippetOf, SNIPPET_MAX_CHARS } from '$lib/search/snippet';
import { tsqueryTexts } from '$lib/server/search/messages';
import { decodeCursor, encodeCursor, fingerprint } from '$lib/server/search/cursor';
import { rangesOf } from '$lib/server/search/marks';

const parsed = (q: string) => {
	const result = parseQuery(q);
	if (!result.ok) throw new Error(result.problem);
	return result.query;
};

describe('parseQuery', () => {
	it('splits on anything but letters, digits and marks; the last word is a prefix while typed', () => {
		expect(tokenize('anna.petrova@example.org, setup-v2 1.5').map((t) => t.text)).toEqual([
			'anna',
			'petrova',
			'example',
			'org',
			'setup',
			'v2',
			'1',
			'5'
		]);
		expect(parsed('hello wor')).toEqual({ words: ['hello'], prefix: 'wor' });
		expect(parsed('hello wor ')).toEqual({ words: ['hello', 'wor'], prefix: null });
		expect(parsed('hello wor.')).toEqual({ words: ['hello', 'wor'], prefix: null });
		// Too short to be a prefix: a whole word.
		expect(parsed('hello wo')).toEqual({ words: ['hello', 'wo'], prefix: null });
		// Operators are separators; repeated words count once (ignoring case).
		expect(parsed('"a" & !b | c:* (Hello) hello -')).toEqual({ words: ['a', 'b', 'c', 'Hello'], prefix: null });
		expect(parsed('&|!:*()')).toEqual({ words: [], prefix: null });
	});

	it('puts the text in NFC and replaces lone surrogates', () => {
		expect(parsed('cafe\u0301 ').words).toEqual(['café']);
		expect(parsed('ab\ud800cd ').words).toEqual(['ab', 'cd']);
	});

	it('refuses what is too long or has too many words', () => {
		expect(parseQuery('x'.repeat(257))).toEqual({ ok: false, problem: 'too_long' });
		expect(parseQuery(Array.from({ length: 9 }, (_, i) => `w${i}`).join(' '))).toEqual({ ok: false, problem: 'too_many_words' });
		expect(parseQuery(Array.from({ length: 8 }, (_, i) => `w${i}`).join(' ')).ok).toBe(true);
	});
});

describe('tsquery texts', () => {
	it('quotes every operand: nothing the user typed becomes an operator', () => {
		expect(tsqueryTexts(parsed("don't stop belie"))).toEqual({ words: "'don' & 't' & 'stop'", prefix: "'belie'" });
		expect(tsqueryTexts({ words: ["it's", 'a\\b'], prefix: null })).toEqual({ words: "'it''s' & 'a\\\\b'", prefix: null });
	});
});

describe('cursor', () => {
	const print = fingerprint({ w: ['a'], p: null });
	const state = { asOf: 1_700_000_000_000, maxPosition: '123456', score: 0.012345678901234567, position: '99' };

	it('round-trips exactly (the score compares equal in SQL) and belongs to its search', () => {
		const cursor = encodeCursor(print, state);
		expect(decodeCursor(cursor, print)).toEqual(state);
		expect(decodeCursor(cursor, fingerprint({ w: ['b'], p: null }))).toMatch(/another search/);
	});

	it('refuses anything else with a message, never a throw', () => {
		for (const bad of ['', '!!', 'A'.repeat(600), Buffer.from('[]').toString('base64url'), Buffer.from('{"v":2}').toString('base64url')])
			expect(typeof decodeCursor(bad, print)).toBe('string');
		const tampered = Buffer.from(JSON.stringify({ v: 1, f: print, t: 1, m: '1; drop table', s: 1, p: '1' })).toString('base64url');
		expect(decodeCursor(tampered, print)).toMatch(/not a cursor/);
	});
});

describe('marks and snippets', () => {
	const delimiters = { start: 'qS', stop: 'qE' };

	it('reads ts_headline’s marks as offsets; a text that held a delimiter gets none', () => {
		expect(rangesOf('a qShelloqE b qSworldqE', delimiters, 15)).toEqual([
			[2, 7],
			[10, 15]
		]);
		expect(rangesOf('no marks', delimiters, 8)).toEqual([]);
		expect(rangesOf('qShelloqE', delimiters, 99)).toEqual([]);
		expect(
			mergeRanges(
				[[5, 7]],
				[
					[0, 2],
					[6, 9]
				]
			)
		).toEqual([
			[0, 2],
			[5, 9]
		]);
	});

	it('cuts a snippet around the first match, collapses white space and keeps the marks on the words', () => {
		const text = `${'lorem ipsum '.repeat(20)}the   target word ${'dolor sit '.repeat(30)}`;
		const start = text.indexOf('target');
		const { text: snippet, marks } = snippetOf(text, [[start, start + 6]]);
		expect(snippet.startsWith('…')).toBe(true);
		expect(snippet.endsWith('…')).toBe(true);
		expect(snippet.length).toBeLessThanOrEqual(SNIPPET_MAX_CHARS + 2);
		expect(marks.map(([s, e]) => snippet.slice(s, e))).toEqual(['target']);
		expect(snippet).toContain('the target word');
		// Never splits a surrogate pair.
		const emoji = '😀'.repeat(100) + ' match';
		const at = emoji.indexOf('match');
		const cut = snippetOf(emoji, [[at, at + 5]]);
		expect(cut.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
		expect(cut.marks.map(([s, e]) => cut.text.slice(s, e))).toEqual(['match']);
	});
});
