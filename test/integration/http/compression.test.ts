// The wire: script assets come precompressed (br, gzip) with Content-Encoding, Vary and immutable
// caching, and decode to the built bytes; a large JSON answer is compressed, a small one, the
// admin event stream and an upload (its length and ranges) are not.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';

interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** The bytes as sent (still compressed). */
	body: Buffer;
}

/** GETs `url` with node:http, which neither asks for nor decodes any encoding by itself. */
function rawGet(url: string, headers: Record<string, string> = {}, options: { firstChunkOnly?: boolean } = {}): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const request = http.get(url, { headers }, (res) => {
			const chunks: Buffer[] = [];
			const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
			res.on('data', (chunk: Buffer) => {
				chunks.push(chunk);
				if (options.firstChunkOnly) {
					request.destroy();
					done();
				}
			});
			res.on('end', done);
			res.on('error', reject);
		});
		request.on('error', (error) => (options.firstChunkOnly ? undefined : reject(error)));
	});
}

const decoders = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync } as const;

describe(`compression on the wire (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;

	beforeAll(async () => {
		server = await startTestServer({ env: { DATA_DIR: fs.mkdtempSync('/tmp/parley-wire-') } });
		alice = await signUp(server.url, 'alice');
	});
	afterAll(async () => {
		await server?.close();
		if (server) fs.rmSync(server.config.dataDir, { recursive: true, force: true });
	});

	/** The largest script chunk of the build (the entry itself is a few bytes of re-export). */
	const entryScript = () => {
		const dir = path.resolve('build/client/_app/immutable/chunks');
		const scripts = fs.readdirSync(dir).filter((file) => file.endsWith('.js'));
		if (!scripts.length) throw new Error(`no scripts in ${dir}: build first`);
		const name = scripts.reduce((a, b) => (fs.statSync(path.join(dir, a)).size >= fs.statSync(path.join(dir, b)).size ? a : b));
		return { url: `/_app/immutable/chunks/${name}`, bytes: fs.readFileSync(path.join(dir, name)) };
	};

	it.each(['br', 'gzip'] as const)('serves a script asset %s-encoded, immutable, decoding to the built bytes', async (encoding) => {
		const script = entryScript();
		const res = await rawGet(server.url + script.url, { 'accept-encoding': encoding === 'br' ? 'gzip, deflate, br' : 'gzip' });
		expect(res.status).toBe(200);
		expect(res.headers['content-encoding']).toBe(encoding);
		expect(res.headers.vary).toMatch(/accept-encoding/i);
		expect(res.headers['cache-control']).toBe('public,max-age=31536000,immutable');
		expect(res.headers['content-type']).toMatch(/javascript/);
		expect(Number(res.headers['content-length'])).toBe(res.body.length);
		expect(res.body.length).toBeLessThan(script.bytes.length / 2);
		expect(decoders[encoding](res.body).equals(script.bytes)).toBe(true);
	});

	it('serves the same script as it is to a client that accepts no encoding', async () => {
		const script = entryScript();
		const res = await rawGet(server.url + script.url);
		expect(res.headers['content-encoding']).toBeUndefined();
		expect(Number(res.headers['content-length'])).toBe(script.bytes.length);
		expect(res.body.equals(script.bytes)).toBe(true);
	});

	it('compresses a large JSON answer (br preferred, gzip otherwise) and leaves it whole for a client that accepts neither', async () => {
		const cookie = alice.client.cookieHeader();
		// Conversations until the list is well over the threshold (a few hundred bytes each).
		let identity = await rawGet(`${server.url}/api/conversations`, { cookie });
		for (let i = 0; identity.body.length < 2 * DEFAULT_LIMITS.httpCompressMinBytes && i < 40; i++) {
			await createConversation(alice, { kind: 'group', title: `Wire group ${i}`, memberIds: [] });
			identity = await rawGet(`${server.url}/api/conversations`, { cookie });
		}
		expect(identity.body.length).toBeGreaterThanOrEqual(2 * DEFAULT_LIMITS.httpCompressMinBytes);
		expect(identity.headers['content-encoding']).toBeUndefined();
		expect(Number(identity.headers['content-length'])).toBe(identity.body.length);
		// Another client would get it compressed: caches must know.
		expect(identity.headers.vary).toMatch(/accept-encoding/i);
		const expected = JSON.parse(identity.body.toString('utf8'));

		for (const [accept, encoding] of [
			['gzip, deflate, br, zstd', 'br'],
			['gzip;q=1, br;q=0.5', 'gzip'],
			['br;q=0, *', 'gzip']
		] as const) {
			const res = await rawGet(`${server.url}/api/conversations`, { cookie, 'accept-encoding': accept });
			expect(res.status).toBe(200);
			expect(res.headers['content-encoding'], accept).toBe(encoding);
			expect(res.headers['content-length']).toBeUndefined();
			expect(res.headers.vary).toMatch(/accept-encoding/i);
			expect(res.body.length).toBeLessThan(identity.body.length / 2);
			expect(JSON.parse(decoders[encoding](res.body).toString('utf8'))).toEqual(expected);
		}
	});

	it('leaves a small JSON answer alone', async () => {
		const res = await rawGet(`${server.url}/api/me`, { cookie: alice.client.cookieHeader(), 'accept-encoding': 'gzip, deflate, br' });
		expect(res.status).toBe(200);
		expect(res.body.length).toBeLessThan(DEFAULT_LIMITS.httpCompressMinBytes);
		expect(res.headers['content-encoding']).toBeUndefined();
		expect(Number(res.headers['content-length'])).toBe(res.body.length);
		expect(JSON.parse(res.body.toString('utf8')).user.id).toBe(alice.id);
	});

	it('never compresses the admin event stream: its first event arrives as text', async () => {
		// The first account of a server is its admin.
		const first = await rawGet(
			`${server.url}/api/admin/stats/stream`,
			{ cookie: alice.client.cookieHeader(), 'accept-encoding': 'br, gzip' },
			{
				firstChunkOnly: true
			}
		);
		expect(first.status).toBe(200);
		expect(first.headers['content-type']).toMatch(/^text\/event-stream/);
		expect(first.headers['content-encoding']).toBeUndefined();
		expect(first.body.toString('utf8')).toMatch(/^(:|event: |retry: |data: )/m);
	});

	it('never compresses an upload: its length and ranges stay as stored', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Files', memberIds: [] });
		const bytes = Buffer.from(JSON.stringify({ rows: Array.from({ length: 400 }, (_, i) => ({ i, text: 'same text again' })) }));
		const form = new FormData();
		form.set('conversationId', group.id);
		form.set('file', new Blob([bytes], { type: 'application/json' }), 'rows.json');
		const uploaded = await alice.client.request('POST', '/api/uploads', { body: form, headers: { origin: server.origin } });
		expect(uploaded.status, JSON.stringify(uploaded.data)).toBeLessThan(300);
		const url = `${server.url}${uploaded.data.upload.url}`;
		const cookie = alice.client.cookieHeader();

		const whole = await rawGet(url, { cookie, 'accept-encoding': 'br, gzip' });
		expect(whole.status).toBe(200);
		expect(whole.headers['content-encoding']).toBeUndefined();
		expect(Number(whole.headers['content-length'])).toBe(bytes.length);
		expect(whole.body.equals(bytes)).toBe(true);

		const part = await rawGet(url, { cookie, 'accept-encoding': 'br, gzip', range: 'bytes=100-199' });
		expect(part.status).toBe(206);
		expect(part.headers['content-encoding']).toBeUndefined();
		expect(part.headers['content-range']).toBe(`bytes 100-199/${bytes.length}`);
		expect(Number(part.headers['content-length'])).toBe(100);
		expect(part.body.equals(bytes.subarray(100, 200))).toBe(true);
	});
});
