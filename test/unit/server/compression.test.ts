// server/compression.ts: Accept-Encoding negotiation, which answers may be compressed, and the
// response wrapper on a real Node HTTP server (backpressure, an implicit head, passing through).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { compressJsonAnswers, compressible, negotiateEncoding } from '../../../server/compression.js';

describe('negotiateEncoding', () => {
	it.each([
		[undefined, null],
		['', null],
		['identity', null],
		['deflate', null],
		['gzip, deflate, br, zstd', 'br'],
		['gzip', 'gzip'],
		['GZIP', 'gzip'],
		['br;q=0.5, gzip', 'gzip'],
		['br;q=1.0, gzip;q=1.0', 'br'],
		['br;q=0', null],
		['br;q=0, gzip;q=0', null],
		['*', 'br'],
		['*;q=0.5, br;q=0', 'gzip'],
		['gzip;q=0, *', 'br'],
		['br ; q=0.8 , gzip ; q=0.9', 'gzip'],
		['br;q=bogus', 'br']
	])('%j → %s', (header, expected) => {
		expect(negotiateEncoding(header)).toBe(expected);
	});
});

describe('compressible', () => {
	const headers = (extra: Record<string, string> = {}) => {
		const all: Record<string, string> = { 'content-type': 'application/json', 'content-length': '5000', ...extra };
		return (name: string) => all[name];
	};
	it('takes a whole JSON body of at least the threshold', () => {
		expect(compressible('GET', 200, headers(), 1024)).toBe(true);
		expect(compressible('POST', 404, headers({ 'content-type': 'application/problem+json; charset=utf-8' }), 1024)).toBe(true);
		expect(compressible('GET', 200, headers({ 'content-length': '1024' }), 1024)).toBe(true);
	});
	it.each([
		['below the threshold', 'GET', 200, { 'content-length': '1023' }],
		['no length (a stream)', 'GET', 200, { 'content-length': '' }],
		['not JSON', 'GET', 200, { 'content-type': 'text/event-stream' }],
		['a file', 'GET', 200, { 'content-disposition': 'attachment; filename="a.json"' }],
		['a range', 'GET', 206, { 'content-range': 'bytes 0-99/5000' }],
		['already encoded', 'GET', 200, { 'content-encoding': 'br' }],
		['no-transform', 'GET', 200, { 'cache-control': 'private, no-transform' }],
		['HEAD', 'HEAD', 200, {}],
		['304', 'GET', 304, {}],
		['204', 'GET', 204, {}]
	] as const)('refuses %s', (_what, method, status, extra) => {
		expect(compressible(method, status, headers(extra), 1024)).toBe(false);
	});
});

describe('compressJsonAnswers on a real server', () => {
	let server: http.Server | undefined;
	afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

	async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<string> {
		server = http.createServer((req, res) => {
			compressJsonAnswers(req, res, 1024);
			handler(req, res);
		});
		await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	}

	/** GETs with node:http, reading slowly (a pause per chunk) so that the server meets backpressure. */
	function get(url: string, headers: Record<string, string>, slow = false) {
		return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
			http
				.get(url, { headers }, (res) => {
					const chunks: Buffer[] = [];
					res.on('data', (chunk: Buffer) => {
						chunks.push(chunk);
						if (slow) {
							res.pause();
							setTimeout(() => res.resume(), 1);
						}
					});
					res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
					res.on('error', reject);
				})
				.on('error', reject);
		});
	}

	/** A large JSON body written like SvelteKit does: head first, then chunks, waiting for drain. */
	const big = Buffer.from(JSON.stringify(Array.from({ length: 60_000 }, (_, i) => ({ i, r: Math.random().toString(36) }))));
	const kitLike = (_req: http.IncomingMessage, res: http.ServerResponse) => {
		res.setHeader('content-type', 'application/json');
		res.setHeader('content-length', String(big.length));
		res.writeHead(200);
		let offset = 0;
		const next = () => {
			while (offset < big.length) {
				const chunk = big.subarray(offset, offset + 16 * 1024);
				offset += chunk.length;
				if (!res.write(chunk)) return void res.once('drain', next);
			}
			res.end();
		};
		next();
	};

	it.each([
		['br', zlib.brotliDecompressSync],
		['gzip', zlib.gunzipSync]
	] as const)('streams a large JSON body %s-compressed through backpressure, whole', async (encoding, decode) => {
		const url = await serve(kitLike);
		const res = await get(url, { 'accept-encoding': encoding }, true);
		expect(res.headers['content-encoding']).toBe(encoding);
		expect(res.headers['content-length']).toBeUndefined();
		expect(res.headers.vary).toBe('Accept-Encoding');
		expect(res.body.length).toBeLessThan(big.length / 2);
		expect(decode(res.body).equals(big)).toBe(true);
	});

	it('compresses an answer whose head is written implicitly (end with a body), and keeps a Vary already set', async () => {
		const body = JSON.stringify({ text: 'x'.repeat(4000) });
		const url = await serve((_req, res) => {
			res.setHeader('content-type', 'application/json; charset=utf-8');
			res.setHeader('content-length', Buffer.byteLength(body));
			res.setHeader('vary', 'Cookie');
			res.end(body);
		});
		const res = await get(url, { 'accept-encoding': 'gzip' });
		expect(res.headers['content-encoding']).toBe('gzip');
		expect(res.headers.vary).toBe('Cookie, Accept-Encoding');
		expect(zlib.gunzipSync(res.body).toString()).toBe(body);
	});

	it('passes headers given to writeHead through, and compresses when they make the answer large JSON', async () => {
		const body = JSON.stringify({ text: 'y'.repeat(4000) });
		const url = await serve((req, res) => {
			const type = req.url === '/text' ? 'text/plain' : 'application/json';
			res.writeHead(200, 'Fine', { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'X-Kept': 'yes' });
			res.end(body);
		});
		const json = await get(`${url}/json`, { 'accept-encoding': 'br' });
		expect(json.headers['content-encoding']).toBe('br');
		expect(json.headers['x-kept']).toBe('yes');
		expect(zlib.brotliDecompressSync(json.body).toString()).toBe(body);
		const text = await get(`${url}/text`, { 'accept-encoding': 'br' });
		expect(text.headers['content-encoding']).toBeUndefined();
		expect(Number(text.headers['content-length'])).toBe(body.length);
		expect(text.headers.vary).toBeUndefined();
		expect(text.body.toString()).toBe(body);
	});
});
