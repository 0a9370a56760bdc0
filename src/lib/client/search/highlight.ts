/**
 * Which words of a text a query matches, by the server's rules: a whole query word matches any
 * form with the same stem; the word being typed matches words with its stem, or whose folded form
 * starts with its own. For the on-device results' snippets, and for the find bar's highlighting of the
 * words in an open chat (the same ranges the server's results carry).
 */
import { tokenize, type ParsedQuery } from '$lib/search/query';
import type { Range } from '$lib/search/snippet';
import { lexemesOf, type Lexemes } from './normalize.js';

/** A query prepared for matching: the stems of its whole words and the lexemes of its prefix. */
export interface QueryTerms {
	/** Stems every match must hold (stop words dropped). */
	stems: string[];
	/** The word being typed (null: none, or a stop word). */
	prefix: Lexemes | null;
}

/** The terms of a parsed query. */
export function termsOf(query: ParsedQuery): QueryTerms {
	const stems = [...new Set(query.words.map(lexemesOf).flatMap((l) => (l ? [l.stem] : [])))];
	return { stems, prefix: query.prefix === null ? null : lexemesOf(query.prefix) };
}

/** True when the query has nothing left to match (only stop words). */
export function isEmptyTerms(terms: QueryTerms): boolean {
	return terms.stems.length === 0 && terms.prefix === null;
}

/** Whether one word of a text matches one of the query's terms. */
export function matchesTerm(lexemes: Lexemes, terms: QueryTerms): boolean {
	if (terms.stems.includes(lexemes.stem)) return true;
	const prefix = terms.prefix;
	return prefix !== null && (lexemes.stem === prefix.stem || lexemes.word.startsWith(prefix.word));
}

/** The ranges of `text`'s words that match the query (sorted, UTF-16 offsets). */
export function highlightRanges(text: string, terms: QueryTerms): Range[] {
	if (isEmptyTerms(terms)) return [];
	const ranges: Range[] = [];
	// Offsets are the text's own; each word is compared in NFC (a word typed with combining accents).
	for (const token of tokenize(text)) {
		const lexemes = lexemesOf(token.text.normalize('NFC'));
		if (lexemes && matchesTerm(lexemes, terms)) ranges.push([token.start, token.end]);
	}
	return ranges;
}
