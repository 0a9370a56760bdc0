/**
 * Compression of large JSON answers on the fly (brotli or gzip, as the client accepts).
 *
 * Static assets are not compressed here: the build writes `.br`/`.gz` beside each one (adapter-node
 * `precompress`, svelte.config.js) and its file server picks one by Accept-Encoding. This module is
 * for what the routes answer. It compresses a response only when all of these hold:
 * - its type is JSON (`application/json`, `application/*+json`);
 * - it declares a Content-Length of at least `minBytes` (a small body gains nothing; a body without
 *   a length is a stream — the admin stats event stream, a streamed `__data.json` — and a stream
 *   must reach the client as it is written, not when a compressor's buffer fills);
 * - it is a whole body: not HEAD, not 1xx/204/206/304, no Content-Range or Content-Encoding;
 * - it is not a file: no Content-Disposition (uploads, backups keep their length and ranges);
 * - no `Cache-Control: no-transform`, and the client accepts br or gzip.
 * Such a response also gets `Vary: Accept-Encoding` when the client accepts neither, since another
 * client would get it compressed.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import zlib from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/**
 * Brotli quality for answers made per request: 4 compresses JSON about as well as gzip's default
 * at a fraction of the time of the maximum (11, which the build uses for static assets).
 */
export const DYNAMIC_BROTLI_QUALITY = 4;
/** gzip level for answers made per request (zlib's default trade-off). */
export const DYNAMIC_GZIP_LEVEL = 6;

/** At most this many entries of an Accept-Encoding header are read (a browser sends 3 or 4). */
const MAX_ACCEPT_ENTRIES = 16;

/**
 * The encoding to use for a client's Accept-Encoding (RFC 9110 §12.5.3): br or gzip, whichever
 * has the higher weight (br on a tie), `*` standing for both; null when neither is acceptable.
 */
export function negotiateEncoding(header: string | string[] | undefined): Encoding | null {
	if (!header) return null;
	const weights = new Map<string, number>();
	const entries = (Array.isArray(header) ? header.join(',') : header).split(',', MAX_ACCEPT_ENTRIES);
	for (const entry of entries) {
		const [name = '', ...params] = entry.split(';');
		let q = 1;
		for (const param of params) {
			const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
			if (match) q = Number(match[1]);
		}
		weights.set(name.trim().toLowerCase(), q);
	}
	const weightOf = (name: Encoding) => weights.get(name) ?? weights.get('*') ?? 0;
	const br = weightOf('br');
	const gzip = weightOf('gzip');
	if (br > 0 && br >= gzip) return 'br';
	return gzip > 0 ? 'gzip' : null;
}

/** Whether a Content-Type is JSON. */
export function isJsonType(type: unknown): boolean {
	if (typeof type !== 'string') return false;
	const essence = type.split(';', 1)[0]!.trim().toLowerCase();
	return essence === 'application/json' || (essence.startsWith('application/') && essence.endsWith('+json'));
}

/** Reads a response header, from the headers given to writeHead first, then from those set before. */
type HeaderOf = (name: string) => unknown;

/** Whether a response may be compressed, whatever the client accepts (see the module comment). */
export function compressible(method: string | undefined, status: number, header: HeaderOf, minBytes: number): boolean {
	if (method === 'HEAD' || status < 200 || status === 204 || status === 206 || status === 304) return false;
	if (header('content-encoding') || header('content-range') || header('content-disposition')) return false;
	if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(String(header('cache-control') ?? ''))) return false;
	if (!isJsonType(header('content-type'))) return false;
	const length = Number(header('content-length'));
	return Number.isFinite(length) && length >= minBytes;
}

/** Adds `token` to a Vary header value unless it (or `*`) is there already. */
function withVary(vary: unknown, token: string): string {
	const current = Array.isArray(vary) ? vary.join(', ') : typeof vary === 'string' ? vary : '';
	const tokens = current
		.split(',')
		.map((t) => t.trim().toLowerCase())
		.filter(Boolean);
	if (tokens.includes('*') || tokens.includes(token.toLowerCase())) return current;
	return current ? `${current}, ${token}` : token;
}

function createCompressor(encoding: Encoding, length: number): zlib.BrotliCompress | zlib.Gzip {
	if (encoding === 'gzip') return zlib.createGzip({ level: DYNAMIC_GZIP_LEVEL });
	return zlib.createBrotliCompress({
		params: {
			[zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
			[zlib.constants.BROTLI_PARAM_QUALITY]: DYNAMIC_BROTLI_QUALITY,
			[zlib.constants.BROTLI_PARAM_SIZE_HINT]: length
		}
	});
}

type WriteCallback = (error?: Error | null) => void;
/** The response's own methods, called with their arguments as given (one signature for their overloads). */
type RawWriteHead = (this: ServerResponse, status: number, ...rest: unknown[]) => ServerResponse;
type RawWrite = (this: ServerResponse, chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
type RawEnd = (this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse;

/**
 * Makes `res` compress its body when it turns out to be a large JSON answer (decided when its
 * head is written, explicitly or by the first write). Call before any handler sees `res`.
 */
export function compressJsonAnswers(req: IncomingMessage, res: ServerResponse, minBytes: number): void {
	const rawWriteHead = res.writeHead as RawWriteHead;
	const rawWrite = res.write as RawWrite;
	const rawEnd = res.end as RawEnd;
	let compressor: zlib.BrotliCompress | zlib.Gzip | null = null;
	let decided = false;

	/**
	 * Decides once, from the status and headers about to be sent. True when the response is
	 * compressible: its headers are then all set on `res` (Vary added, and when the client accepts
	 * an encoding, Content-Encoding instead of Content-Length) and its head must be written bare.
	 */
	const decide = (status: number, given: OutgoingHttpHeaders | null) => {
		decided = true;
		const header: HeaderOf = (name) => {
			if (given) for (const key of Object.keys(given)) if (key.toLowerCase() === name) return given[key];
			return res.getHeader(name);
		};
		if (!compressible(req.method, status, header, minBytes)) return false;
		// Headers given to writeHead are moved to the response first (what Node does itself when
		// headers were also set), so that Content-Length can be taken away.
		if (given) for (const [key, value] of Object.entries(given)) if (value !== undefined) res.setHeader(key, value);
		res.setHeader('vary', withVary(res.getHeader('vary'), 'Accept-Encoding'));
		const encoding = negotiateEncoding(req.headers['accept-encoding']);
		if (!encoding) return true;
		const length = Number(res.getHeader('content-length'));
		res.removeHeader('content-length');
		res.setHeader('content-encoding', encoding);
		compressor = createCompressor(encoding, length);
		compressor.on('data', (chunk: Buffer) => {
			if (!rawWrite.call(res, chunk)) compressor?.pause();
		});
		res.on('drain', () => compressor?.resume());
		// The handler waits for `drain` when a write returned false: the compressor's, here.
		compressor.on('drain', () => res.emit('drain'));
		compressor.once('end', () => rawEnd.call(res));
		compressor.once('error', (error) => res.destroy(error));
		res.once('close', () => compressor?.destroy());
		return true;
	};

	res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
		if (!decided) {
			const given = rest.find((arg) => typeof arg === 'object' && arg !== null) as OutgoingHttpHeaders | unknown[] | undefined;
			// Raw header arrays are passed through untouched (nothing in Parley sends them).
			if (Array.isArray(given)) decided = true;
			else if (decide(status, given ?? null)) {
				const message = typeof rest[0] === 'string' ? [rest[0]] : [];
				return rawWriteHead.call(this, status, ...message);
			}
		}
		return rawWriteHead.call(this, status, ...rest);
	} as ServerResponse['writeHead'];

	/** Before the first write of a body whose head was not written: decide from the headers set. */
	const decideImplicitly = () => {
		if (decided || res.headersSent) return;
		if (decide(res.statusCode, null)) rawWriteHead.call(res, res.statusCode);
	};

	res.write = function (this: ServerResponse, chunk: unknown, encoding?: unknown, callback?: unknown) {
		decideImplicitly();
		if (!compressor) return rawWrite.call(this, chunk, encoding, callback);
		if (typeof encoding === 'function') return compressor.write(chunk, encoding as WriteCallback);
		return compressor.write(chunk, (encoding ?? 'utf8') as BufferEncoding, callback as WriteCallback | undefined);
	} as ServerResponse['write'];

	res.end = function (this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) {
		decideImplicitly();
		if (!compressor) return rawEnd.call(this, chunk, encoding, callback);
		const done = [chunk, encoding, callback].find((arg) => typeof arg === 'function') as (() => void) | undefined;
		if (done) res.once('finish', done);
		if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
			compressor.end(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding);
		} else compressor.end();
		return this;
	} as ServerResponse['end'];
}
