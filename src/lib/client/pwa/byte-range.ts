/**
 * Answers a `Range` request from a whole cached response (the service worker's media cache): one
 * range of the forms `a-b`, `a-` and `-n`, like the server (docs/uploads.md). Pure enough for Node.
 */

/** An inclusive byte range inside a body of known size. */
export interface ByteRange {
	start: number;
	end: number;
}

/**
 * The range a `Range` header asks of `size` bytes; `null` when the header is absent, not bytes or
 * asks for several ranges (answered whole, as the server does); `'unsatisfiable'` past the end.
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | null {
	const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
	if (!match) return null;
	const [, first = '', last = ''] = match;
	if (first === '' && last === '') return null;
	if (first === '') {
		const suffix = Number(last);
		if (suffix === 0) return 'unsatisfiable';
		return { start: Math.max(0, size - suffix), end: size - 1 };
	}
	const start = Number(first);
	if (start >= size) return 'unsatisfiable';
	const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
	return end < start ? null : { start, end };
}

/** The answer to `rangeHeader` from `whole` (a 200 response): 206 with its slice, 416, or `whole` itself. */
export async function rangeResponse(whole: Response, rangeHeader: string | null): Promise<Response> {
	if (!rangeHeader) return whole;
	const blob = await whole.blob();
	const range = parseRange(rangeHeader, blob.size);
	const headers = new Headers(whole.headers);
	if (range === null) return new Response(blob, { status: whole.status, statusText: whole.statusText, headers });
	if (range === 'unsatisfiable') {
		headers.set('content-range', `bytes */${blob.size}`);
		headers.delete('content-length');
		return new Response(null, { status: 416, statusText: 'Range Not Satisfiable', headers });
	}
	const part = blob.slice(range.start, range.end + 1);
	headers.set('content-range', `bytes ${range.start}-${range.end}/${blob.size}`);
	headers.set('content-length', String(part.size));
	return new Response(part, { status: 206, statusText: 'Partial Content', headers });
}
