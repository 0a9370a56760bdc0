/**
 * Where a message's text matched, as ranges a client can render safely (never HTML): PostgreSQL's
 * `ts_headline` marks the matched words with delimiters the server picked at random for this
 * request (so no message can contain them on purpose), and this module turns that output into
 * offsets ($lib/search/snippet.ts makes the snippet and the list of matched words from them).
 */
import { randomBytes } from 'node:crypto';
import type { Range } from '$lib/search/snippet';

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
