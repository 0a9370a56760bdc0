/**
 * The search cursor: where the next page starts, opaque to clients (base64url JSON). Ranking mixes
 * relevance with age, so a page is only comparable with the next if both measure age from the same
 * moment and see the same messages: the first page fixes `asOf` and the highest message position
 * (`messages.position`, a sequence) it may see, and later pages reuse both. A message that arrives
 * meanwhile has a higher position and waits for a new search, so pages neither repeat nor skip
 * what was there. The cursor also carries a fingerprint of the query and filters: a cursor is
 * refused (400) with any other search.
 */
import { createHash } from 'node:crypto';

/** What a cursor fixes, and where the last page ended. */
export interface CursorState {
	/** Ages are measured from here (ms since the epoch). */
	asOf: number;
	/** Only messages at or below this position (decimal string: a bigint). */
	maxPosition: string;
	/** The last row's score and position: the next page starts strictly after them. */
	score: number;
	position: string;
}

const VERSION = 1;
/** Longest cursor accepted (characters): a real one is ~150. */
const MAX_LENGTH = 512;
const DECIMAL = /^(0|[1-9][0-9]{0,18})$/;

/** A stable fingerprint of a search (query words and filters): same search, same fingerprint. */
export function fingerprint(search: unknown): string {
	return createHash('sha256').update(JSON.stringify(search)).digest('base64url').slice(0, 16);
}

/** The cursor of the page after one that ended at `state`. */
export function encodeCursor(print: string, state: CursorState): string {
	const body = { v: VERSION, f: print, t: state.asOf, m: state.maxPosition, s: state.score, p: state.position };
	return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Reads a cursor made by `encodeCursor` for this search; a string naming the problem otherwise. */
export function decodeCursor(cursor: string, print: string): CursorState | string {
	if (cursor.length > MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return 'is not a cursor this server made';
	let body: Record<string, unknown>;
	try {
		body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
	} catch {
		return 'is not a cursor this server made';
	}
	if (typeof body !== 'object' || body === null || body.v !== VERSION) return 'is not a cursor this server made';
	if (body.f !== print) return 'belongs to another search (query or filters changed): start again without it';
	const { t, m, s, p } = body;
	const valid =
		typeof t === 'number' &&
		Number.isSafeInteger(t) &&
		t > 0 &&
		typeof m === 'string' &&
		DECIMAL.test(m) &&
		typeof s === 'number' &&
		Number.isFinite(s) &&
		typeof p === 'string' &&
		DECIMAL.test(p);
	if (!valid) return 'is not a cursor this server made';
	return { asOf: t, maxPosition: m, score: s, position: p };
}
