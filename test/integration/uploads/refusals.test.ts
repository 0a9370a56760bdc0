// POST /api/uploads refusals and GET's inert answers: wrong bytes under a trusted name, oversize
// mid-stream, non-members, traversal names, a pixel bomb, a scripted SVG, HTML posing as an image.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../helpers/database.js';
import { waitFor } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { fetchAs, images, pngBomb, startUploadServer, upload, type UploadServer } from './helpers.js';

/** UPLOAD_MAX_BYTES of this file's server: small, so the oversize case stays cheap. */
const MAX_BYTES = 256 * 1024;
const SANDBOX = "default-src 'none'; sandbox";

describe(`uploads: refusals and inert serving (${testDatabaseKind()})`, () => {
	let ctx: UploadServer;
	let alice: TestUser, bob: TestUser, outsider: TestUser, subscriber: TestUser;
	let groupId: string, channelId: string;

	beforeAll(async () => {
		ctx = await startUploadServer({ env: { UPLOAD_MAX_BYTES: String(MAX_BYTES) } });
		[alice, bob, outsider, subscriber] = await Promise.all([
			signUp(ctx.server.url, 'alice'),
			signUp(ctx.server.url, 'bob'),
			signUp(ctx.server.url, 'outsider'),
			signUp(ctx.server.url, 'sub')
		]);
		groupId = (await createConversation(alice, { kind: 'group', title: 'G', memberIds: [bob.id] })).id;
		channelId = (await createConversation(alice, { kind: 'channel', title: 'C' })).id;
		expect((await alice.client.post(`/api/conversations/${channelId}/members`, { userId: subscriber.id })).status).toBe(201);
	});
	afterAll(() => ctx?.close());

	/** POSTs a hand-framed multipart body as a chunked stream (no Content-Length), as `user`. */
	const streamUpload = (user: TestUser, body: ReadableStream<Uint8Array>) =>
		fetch(new URL('/api/uploads', ctx.server.url), {
			method: 'POST',
			body,
			duplex: 'half',
			headers: {
				cookie: user.client.cookieHeader(),
				origin: ctx.server.origin,
				'content-type': 'multipart/form-data; boundary=parleyboundary'
			}
		} as RequestInit);

	it('HTML under a trusted image name and type is a plain download: nosniff, sandbox CSP, never text/html', async () => {
		const html = new TextEncoder().encode('<!doctype html><html><script>alert(document.cookie)</script></html>');
		const res = await upload(alice, groupId, html, 'cat.png', 'image/png');
		expect(res.status).toBe(201);
		expect(res.data.upload).toMatchObject({ kind: 'file', mime: 'application/octet-stream', name: 'cat.png' });
		expect(res.data.upload.width).toBeUndefined();
		const served = await fetchAs(bob, ctx.server, res.data.upload.url);
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toBe('application/octet-stream');
		expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
		expect(served.headers.get('x-content-type-options')).toBe('nosniff');
		expect(served.headers.get('content-security-policy')).toBe(SANDBOX);
	});

	it('bytes that claim to be an image but do not decode: 415', async () => {
		const broken = new Uint8Array(600).fill(0x55);
		broken.set([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43]);
		const res = await upload(alice, groupId, broken, 'x.jpg', 'image/jpeg');
		expect(res.status).toBe(415);
		expect(res.data.error.code).toBe('unsupported_type');
	});

	it('a pixel bomb (a tiny PNG claiming 30000×30000) is refused before it is decoded', async () => {
		const res = await upload(alice, groupId, pngBomb(30_000), 'bomb.png', 'image/png');
		expect(res.status).toBe(413);
		expect(res.data.error).toMatchObject({ code: 'too_large' });
		expect(res.data.error.message).toMatch(/pixels/);
	});

	it('a scripted SVG is never rendered: a download with a CSP that runs nothing', async () => {
		const svg = new TextEncoder().encode(
			'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
		);
		const res = await upload(alice, groupId, svg, 'logo.svg', 'image/svg+xml');
		expect(res.status).toBe(201);
		expect(res.data.upload).toMatchObject({ kind: 'file', mime: 'image/svg+xml' });
		expect(res.data.upload.thumbUrl).toBeUndefined();
		const served = await fetchAs(alice, ctx.server, res.data.upload.url);
		expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
		expect(served.headers.get('content-security-policy')).toBe(SANDBOX);
		expect(served.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('traversal names are metadata only: the last segment, stored by hash, disposition escaped', async () => {
		const bytes = new TextEncoder().encode(`secret ${Math.random()}`);
		for (const [name, kept] of [
			['../../../etc/passwd', 'passwd'],
			['..\\..\\boot.ini', 'boot.ini'],
			['a"b;c%.txt', 'a"b;c%.txt'],
			['..', null]
		] as const) {
			const res = await upload(alice, groupId, bytes, name);
			expect(res.status).toBe(201);
			expect(res.data.upload.name).toBe(kept ?? undefined);
			const served = await fetchAs(alice, ctx.server, res.data.upload.url);
			expect(served.headers.get('content-disposition')).not.toMatch(/\.\.|\//);
			if (kept === 'a"b;c%.txt')
				expect(served.headers.get('content-disposition')).toBe(`attachment; filename="a_b_c_.txt"; filename*=UTF-8''a%22b%3Bc%25.txt`);
		}
		// nothing was written outside DATA_DIR/uploads: no file by those names anywhere near it
		const dataDir = ctx.server.parley.runtime.config.dataDir;
		await expect(fs.stat(path.join(dataDir, 'passwd'))).rejects.toThrow();
		await expect(fs.stat(path.join(path.dirname(dataDir), 'boot.ini'))).rejects.toThrow();
		for (const file of await ctx.blobFiles()) expect(file).toMatch(/^[0-9a-f]{64}$/);
	});

	it('oversize: 413 while the body still streams, and no partial file is left', async () => {
		let sent = 0;
		const chunk = new Uint8Array(64 * 1024).fill(7);
		const boundary = 'parleyboundary';
		const head = new TextEncoder().encode(
			`--${boundary}\r\nContent-Disposition: form-data; name="conversationId"\r\n\r\n${groupId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`
		);
		// Chunked, no Content-Length: only the streaming limit can stop it. 4× the limit in all.
		const body = new ReadableStream<Uint8Array>({
			start: (controller) => controller.enqueue(head),
			pull(controller) {
				if (sent >= MAX_BYTES * 4) return controller.close();
				sent += chunk.byteLength;
				controller.enqueue(chunk);
			}
		});
		const response = await streamUpload(alice, body);
		expect(response.status).toBe(413);
		expect((await response.json()).error.code).toBe('too_large');
		await waitFor(async () => (await ctx.tmpFiles()).length === 0, { what: 'the partial file removed' });
		// exactly the limit is taken
		const exact = await upload(alice, groupId, new Uint8Array(MAX_BYTES).fill(3), 'exact.bin');
		expect(exact.status).toBe(201);
		expect(exact.data.upload.size).toBe(MAX_BYTES);
		// a declared length over the limit is refused before anything is read
		const declared = await upload(alice, groupId, new Uint8Array(MAX_BYTES + 70 * 1024));
		expect(declared.status).toBe(413);
		expect(await ctx.tmpFiles()).toEqual([]);
	});

	it('a non-member sending conversationId first is refused (404) before the file part is stored', async () => {
		let sent = 0;
		const chunk = new Uint8Array(64 * 1024).fill(5);
		const boundary = 'parleyboundary';
		const head = new TextEncoder().encode(
			`--${boundary}\r\nContent-Disposition: form-data; name="conversationId"\r\n\r\n${groupId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`
		);
		// Chunked, 4× the limit: checked only after the body (as before), it would end in 413 at the
		// limit with the first 256 KiB stored; checked when the field arrives, the file is never read.
		const body = new ReadableStream<Uint8Array>({
			start: (c) => c.enqueue(head),
			pull(c) {
				if (sent >= MAX_BYTES * 4) return c.close();
				sent += chunk.byteLength;
				c.enqueue(chunk);
			}
		});
		const response = await streamUpload(outsider, body);
		expect(response.status).toBe(404);
		expect((await response.json()).error.code).toBe('not_found');
		await waitFor(async () => (await ctx.tmpFiles()).length === 0, { what: 'no temporary file left' });
	});

	it('who may upload: members who post; a channel subscriber 403, a non-member 404, nobody signed in 401', async () => {
		const png = await images.png();
		expect((await upload(bob, groupId, png, 'a.png')).status).toBe(201);
		expect((await upload(alice, channelId, png, 'a.png')).status).toBe(201);
		const sub = await upload(subscriber, channelId, png, 'a.png');
		expect(sub.status).toBe(403);
		expect(sub.data.error.code).toBe('forbidden');
		const out = await upload(outsider, groupId, png, 'a.png');
		expect(out.status).toBe(404);
		expect(out.data.error.code).toBe('not_found');
		const anonymous = new FormData();
		anonymous.set('conversationId', groupId);
		anonymous.set('file', new Blob([png as BlobPart]), 'a.png');
		const anon = await fetch(new URL('/api/uploads', ctx.server.url), {
			method: 'POST',
			body: anonymous,
			headers: { origin: ctx.server.origin }
		});
		expect(anon.status).toBe(401);
		expect((await upload(alice, groupId, new Uint8Array(0), 'empty')).status).toBe(400);
		expect((await upload(alice, 'not-an-id', png, 'a.png')).status).toBe(404);
		expect(await ctx.tmpFiles()).toEqual([]);
	});

	it('who may download: members (subscribers too); others 404, nobody signed in 401', async () => {
		const res = await upload(alice, channelId, await images.png(), 'a.png');
		const { url, thumbUrl } = res.data.upload;
		expect((await fetchAs(subscriber, ctx.server, url)).status).toBe(200);
		expect((await fetchAs(outsider, ctx.server, url)).status).toBe(404);
		expect((await fetchAs(outsider, ctx.server, thumbUrl)).status).toBe(404);
		expect((await fetchAs(bob, ctx.server, url)).status).toBe(404);
		expect((await fetchAs(null, ctx.server, url)).status).toBe(401);
		expect((await fetchAs(alice, ctx.server, '/api/uploads/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
	});

	it('Range: 206 slices for seeking, suffix ranges, 416 beyond the end; ETag answers 304', async () => {
		const bytes = new Uint8Array(10_000).map((_, i) => (i * 7) & 0xff);
		const { url } = (await upload(alice, groupId, bytes, 'data.bin')).data.upload;
		const whole = await fetchAs(alice, ctx.server, url);
		expect(whole.status).toBe(200);
		expect(whole.headers.get('accept-ranges')).toBe('bytes');
		expect(whole.headers.get('cache-control')).toMatch(/immutable/);
		expect(whole.bytes).toEqual(bytes);
		const part = await fetchAs(alice, ctx.server, url, { range: 'bytes=100-199' });
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe('bytes 100-199/10000');
		expect(part.bytes).toEqual(bytes.slice(100, 200));
		const tail = await fetchAs(alice, ctx.server, url, { range: 'bytes=-10' });
		expect(tail.status).toBe(206);
		expect(tail.bytes).toEqual(bytes.slice(-10));
		const open = await fetchAs(alice, ctx.server, url, { range: 'bytes=9990-' });
		expect(open.bytes).toEqual(bytes.slice(9990));
		const beyond = await fetchAs(alice, ctx.server, url, { range: 'bytes=10000-' });
		expect(beyond.status).toBe(416);
		expect(beyond.headers.get('content-range')).toBe('bytes */10000');
		const etag = whole.headers.get('etag')!;
		expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
		expect((await fetchAs(alice, ctx.server, url, { 'if-none-match': etag })).status).toBe(304);
		// If-Range with another validator: the whole file
		expect((await fetchAs(alice, ctx.server, url, { range: 'bytes=0-1', 'if-range': '"other"' })).status).toBe(200);
	});
});
