/**
 * Where a message's text matched, as ranges a client can render safely (never HTML): PostgreSQL's
 * `ts_headline` marks the matched words with delimiters the server picked at random for this
 * request (so no message can contain them on purpose), and this module turns that output into
 * offsets, the distinct words that matched, and a short snippet around the first match.
 */
import { randomBytes } from 'node:crypto';

/** [start, end) in UTF-16 code units of a string. */
export type Range = [number, number];

/** A short piece of the text around the first match, with the matched words' ranges in it. */
export interface Snippet {
	text: string;
	marks: Range[];
}

/** Characters of a snippet at most (plus an ellipsis at either end when the text goes on). */
export const SNIPPET_MAX_CHARS = 160;
/** Characters of context kept before the first match. */
const SNIPPET_LEAD_CHARS = 40;
const ELLIPSIS = '…';

/** A pair of delimiters for one request: letters and digits only, so ts_headline's option parser takes them as they are. */
export function newDelimiters(): { start: string; stop: string } {
	const token = () => 'q' + randomBytes(9).toString('hex');
	return { start: token(), stop: token() };
}

/**
 * The ranges ts_headline marked in `marked` (the text with delimiters around matched words).
 * `length` is the text's own length: when removing the delimiters does not give it back (the text
 * held one by chance), no ranges are claimed rather than wrong ones.
 */
export function rangesOf(marked: string, delimiters: { start: string; stop: string }, length: number): Range[] {
	const ranges: Range[] = [];
	let plain = 0;
	let at = 0;
	for (;;) {
		const open = marked.indexOf(delimiters.start, at);
		if (open < 0) break;
		const close = marked.indexOf(delimiters.stop, open + delimiters.start.length);
		if (close < 0) return [];
		plain += open - at;
		const word = close - (open + delimiters.start.length);
		ranges.push([plain, plain + word]);
		plain += word;
		at = close + delimiters.stop.length;
	}
	plain += marked.length - at;
	return plain === length ? ranges : [];
}

/** Sorted, non-overlapping union of several lists of ranges. */
export function mergeRanges(...lists: Range[][]): Range[] {
	const all = lists.flat().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const merged: Range[] = [];
	for (const [start, end] of all) {
		const last = merged.at(-1);
		if (last && start <= last[1]) last[1] = Math.max(last[1], end);
		else merged.push([start, end]);
	}
	return merged;
}

/** The distinct words of `text` at `ranges`, as written (for highlighting them in the rendered message). */
export function matchedWords(text: string, ranges: readonly Range[]): string[] {
	return [...new Set(ranges.map(([s, e]) => text.slice(s, e)))];
}

/** Moves an offset off the second half of a surrogate pair (never split a character). */
function onCharacter(text: string, offset: number): number {
	const code = text.charCodeAt(offset);
	return offset > 0 && code >= 0xdc00 && code <= 0xdfff ? offset - 1 : offset;
}

/**
 * A snippet of at most SNIPPET_MAX_CHARS around the first match (the start of the text when none),
 * white space runs collapsed to one space, with the marks that fall inside it.
 */
export function snippetOf(text: string, ranges: readonly Range[]): Snippet {
	const first = ranges[0]?.[0] ?? 0;
	let from = Math.max(0, first - SNIPPET_LEAD_CHARS);
	// Start at a word boundary: back to the white space before `from`, unless that is far.
	if (from > 0) {
		const space = text.lastIndexOf(' ', from);
		from = space >= 0 && from - space < 15 ? space + 1 : from;
	}
	from = onCharacter(text, from);
	const to = onCharacter(text, Math.min(text.length, from + SNIPPET_MAX_CHARS));
	// Collapse white space, keeping a map from old offsets to new ones for the marks.
	let out = from > 0 ? ELLIPSIS : '';
	const shift: number[] = [];
	let previousSpace = false;
	for (let i = from; i < to; i++) {
		shift[i - from] = out.length;
		const ch = text[i]!;
		const space = /\s/.test(ch);
		if (space && previousSpace) continue;
		out += space ? ' ' : ch;
		previousSpace = space;
	}
	shift[to - from] = out.length;
	const marks: Range[] = [];
	for (const [s, e] of ranges) {
		if (e <= from || s >= to) continue;
		marks.push([shift[Math.max(s, from) - from]!, shift[Math.min(e, to) - from]!]);
	}
	if (to < text.length) out += ELLIPSIS;
	return { text: out, marks };
}
