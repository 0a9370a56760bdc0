/**
 * The words of a message as the on-device index keeps them: the same lexemes PostgreSQL's
 * `parley_search` and `parley_prefix` configurations make on the server (migration 0080), so a
 * query finds the same messages offline and online.
 *
 * PostgreSQL sorts a token by its characters: ASCII letters only (`asciiword`) → unaccent, then
 * the Snowball English stemmer with English stop words; other letters (`word`: Cyrillic, accented
 * Latin) → unaccent, then the Snowball Russian stemmer with Russian stop words; letters with digits
 * or digits alone → lower-cased only. Here: wink-porter2-stemmer (Snowball English, which is
 * PostgreSQL's `english_stem`) and @orama/stemmers' Russian (generated from Snowball's Russian,
 * PostgreSQL's `russian_stem`); test/integration/search/local-parity.test.ts compares them with
 * the server word by word. `unaccent` below covers what people type (Latin and Greek accents,
 * ligatures, ё → е), a subset of PostgreSQL's 1 600 rules.
 *
 * This module pulls in both stemmers (~10 KB): the search worker loads it, never the chat's
 * initial JavaScript.
 */
import stemEnglish from 'wink-porter2-stemmer';
import { tokenize } from '$lib/search/query';
import { stemmer as stemRussian } from '@orama/stemmers/russian';
import { ENGLISH_STOP_WORDS, RUSSIAN_STOP_WORDS } from './stopwords.js';

/** What one word is indexed and searched as: its stem, and itself folded (for prefixes); null for a stop word. */
export interface Lexemes {
	stem: string;
	word: string;
}

const ASCII_WORD = /^[A-Za-z]+$/;
const LETTERS = /^[\p{L}\p{M}]+$/u;
const CYRILLIC = /[\u0400-\u04ff]/;
const MARKS = /\p{M}/gu;
/** Letters unaccent writes as two (or as another letter) rather than dropping a mark. */
const SPELLED_OUT: Record<string, string> = {
	æ: 'ae',
	Æ: 'AE',
	œ: 'oe',
	Œ: 'OE',
	ß: 'ss',
	þ: 'th',
	Þ: 'TH',
	ð: 'd',
	Ð: 'D',
	đ: 'd',
	Đ: 'D',
	ł: 'l',
	Ł: 'L',
	ø: 'o',
	Ø: 'O',
	ħ: 'h',
	Ħ: 'H',
	ı: 'i',
	ĳ: 'ij',
	Ĳ: 'IJ',
	ŀ: 'l',
	Ŀ: 'L'
};

/** Accents off, as PostgreSQL's unaccent does: é → e, ё → е, æ → ae; other Cyrillic letters (й, ї) stay. */
export function unaccent(word: string): string {
	let out = '';
	for (const ch of word) {
		if (ch === 'ё') out += 'е';
		else if (ch === 'Ё') out += 'Е';
		else if (SPELLED_OUT[ch] !== undefined) out += SPELLED_OUT[ch];
		else if (CYRILLIC.test(ch)) out += ch;
		else out += ch.normalize('NFKD').replace(MARKS, '');
	}
	return out;
}

/** The lexemes of one token (a word from `tokenize`), or null when it is a stop word. */
export function lexemesOf(token: string): Lexemes | null {
	if (ASCII_WORD.test(token)) {
		const lower = token.toLowerCase();
		return ENGLISH_STOP_WORDS.has(lower) ? null : { stem: stemEnglish(lower), word: lower };
	}
	if (LETTERS.test(token)) {
		const folded = unaccent(token).toLowerCase();
		return RUSSIAN_STOP_WORDS.has(folded) ? null : { stem: stemRussian(folded), word: folded };
	}
	// Digits, or letters with digits: PostgreSQL's `simple` dictionary, lower-case only.
	const lower = token.toLowerCase();
	return { stem: lower, word: lower };
}

/** The lexemes of every word of a text (in NFC), stop words left out. */
export function textLexemes(text: string): Lexemes[] {
	return tokenize(text.normalize('NFC')).flatMap((token) => lexemesOf(token.text) ?? []);
}
