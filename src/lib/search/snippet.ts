/**
 * Matched words as ranges of a message's text, and a snippet around them: what a result list
 * shows, the same for the server's results (`GET /api/search`) and the on-device index's. Ranges
 * are [start, end) in UTF-16 code units; the text is shown as text, never as HTML. Imports neither
 * `$app` nor Node built-ins.
 */

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
