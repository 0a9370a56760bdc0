/**
 * How a search box's text becomes a query, the same for the server (`GET /api/search`, which hands
 * the words to PostgreSQL) and the on-device index (`$lib/client/search`). Imports neither `$app`
 * nor Node built-ins.
 *
 * A word is a run of letters, digits and combining marks; everything else separates words, as in
 * the server's `search_text()` (migration 0080), which turns the characters that PostgreSQL's
 * parser would glue into one token (e-mail addresses, URLs, hyphens, dots) into spaces. Every word
 * must match (AND). The last word is a prefix while it is being typed: when the text does not end
 * with a separator and the word has at least `prefixMinLength` characters.
 */

/** Limits of a search query, shared by the search box and the server (DEFAULT_LIMITS names them too). */
export const SEARCH_QUERY_LIMITS = {
	/** Characters of `q` (UTF-16 units, after trimming): a search box holds a few words, not a paragraph. */
	maxLength: 256,
	/** Distinct words in one query: each is an index lookup, and every one must match. */
	maxTerms: 8,
	/**
	 * Shortest word matched as a prefix: a one- or two-letter prefix is thousands of words in the
	 * index (each a posting list to merge), and finds nothing a person is looking for.
	 */
	prefixMinLength: 3
} as const;

/** The limits `parseQuery` applies. */
export interface QueryLimits {
	maxLength: number;
	maxTerms: number;
	prefixMinLength: number;
}

/** A run of letters, digits and marks (a word's accents may come as separate combining marks). */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
/** A word must hold a letter or digit (a lone combining mark is not a word). */
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** One word of a text: its characters and where it is (UTF-16 offsets, end exclusive). */
export interface Token {
	text: string;
	start: number;
	end: number;
}

/** The words of a text, in order, with their offsets. */
export function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	for (const match of text.matchAll(WORD)) {
		if (!HAS_LETTER_OR_DIGIT.test(match[0])) continue;
		tokens.push({ text: match[0], start: match.index, end: match.index + match[0].length });
	}
	return tokens;
}

/** A query as both engines run it: whole words (all must match) and the word being typed. */
export interface ParsedQuery {
	/** Whole words, distinct, in the order typed. */
	words: string[];
	/** The last word, matched as a prefix, or null when it is finished (or too short to be one). */
	prefix: string | null;
}

/** Why a query cannot run (the caller answers 400 naming `q`). */
export type QueryProblem = 'too_long' | 'too_many_words';

/**
 * Parses a search box's text. Lone surrogates (invalid UTF-16) become U+FFFD and the text is put
 * in NFC, so a word typed with combining accents matches the same word typed precomposed.
 */
export function parseQuery(
	raw: string,
	limits: QueryLimits = SEARCH_QUERY_LIMITS
): { ok: true; query: ParsedQuery } | { ok: false; problem: QueryProblem } {
	const text = raw.toWellFormed().normalize('NFC');
	if (text.trim().length > limits.maxLength) return { ok: false, problem: 'too_long' };
	const tokens = tokenize(text);
	const last = tokens.at(-1);
	// Still being typed: nothing after the last word (a trailing space or full stop finishes it).
	const typing = last !== undefined && last.end === text.length && [...last.text].length >= limits.prefixMinLength;
	const words: string[] = [];
	const seen = new Set<string>();
	for (const token of typing ? tokens.slice(0, -1) : tokens) {
		const key = token.text.toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		words.push(token.text);
	}
	const prefix = typing ? last.text : null;
	if (words.length + (prefix ? 1 : 0) > limits.maxTerms) return { ok: false, problem: 'too_many_words' };
	return { ok: true, query: { words, prefix } };
}

/** True when a parsed query has nothing to look for (only separators, say): it matches nothing. */
export function isEmptyQuery(query: ParsedQuery): boolean {
	return query.words.length === 0 && query.prefix === null;
}

/** What a query problem means, for a 400 naming `q`. */
export function queryProblemMessage(problem: QueryProblem, limits: QueryLimits = SEARCH_QUERY_LIMITS): string {
	return problem === 'too_long' ? `must be at most ${limits.maxLength} characters` : `may hold at most ${limits.maxTerms} words`;
}
