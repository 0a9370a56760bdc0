// Issue 8 item 8: only upload routes take large bodies; every other request, page form actions
// included, is held to `requestBodyMaxBytes` before its body is read. Item 9: HSTS when ORIGIN is https.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../helpers/database.js';
import { TestClient } from '../../helpers/http.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { startServer, users } from '../conversations/helpers.js';

/** Sends headers declaring `declared` bytes (or chunked), a first piece of body, and reads the answer. */
function post(
	url: string,
	path: string,
	options: { method?: string; declared?: number; contentType: string; cookie?: string; end?: boolean }
) {
	const { hostname, port } = new URL(url);
	return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
		const headers: Record<string, string> = { 'content-type': options.contentType, origin: url.replace('127.0.0.1', 'localhost') };
		if (options.declared !== undefined) headers['content-length'] = String(options.declared);
		else headers['transfer-encoding'] = 'chunked';
		if (options.cookie) headers.cookie = options.cookie;
		const request = http.request({ hostname, port, path, method: options.method ?? 'POST', headers }, (res) => {
			let body = '';
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
		});
		request.on('error', reject);
		// A piece of the body: the server must answer without waiting for (or reading) the rest.
		request.write('x'.repeat(64 * 1024));
		if (options.end) request.end();
	});
}

describe(`body limits (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;
	beforeAll(async () => {
		server = await startServer();
		[alice] = await users(server, 'alice');
	});
	afterAll(() => server?.close());

	it('a page form action signed out refuses a 48 MB body before reading it (413)', async () => {
		const res = await post(server.url, '/login', { declared: 48 * 1024 * 1024, contentType: 'application/x-www-form-urlencoded' });
		expect(res.status).toBe(413);
		expect(res.headers.connection).toBe('close');
	});

	it('an API route refuses a body over requestBodyMaxBytes with the JSON error', async () => {
		const res = await post(server.url, '/api/auth/login', {
			declared: server.config.limits.requestBodyMaxBytes + 1,
			contentType: 'application/json'
		});
		expect(res.status).toBe(413);
		expect(JSON.parse(res.body).error.code).toBe('too_large');
	});

	it('a chunked body of unknown length is refused outside the upload routes (411)', async () => {
		const page = await post(server.url, '/register', { contentType: 'application/x-www-form-urlencoded' });
		expect(page.status).toBe(411);
		const api = await post(server.url, '/api/auth/register', { contentType: 'application/json' });
		expect(api.status).toBe(411);
		expect(JSON.parse(api.body).error.code).toBe('length_required');
	});

	it('a form under the limit is read and validated as usual (400 naming the field, not 413)', async () => {
		const res = await new TestClient(server.url).request('POST', '/forgot-password', {
			body: new URLSearchParams({ login: 'x'.repeat(100 * 1024) }),
			headers: { origin: server.origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
		});
		expect(res.data.type).toBe('failure');
		expect(res.data.status).toBe(400);
		expect(res.data.data).toContain('login');
	});

	it('upload routes take large bodies: a 2 MB avatar is read (and refused as no image, 415)', async () => {
		const big = new Uint8Array(2 * 1024 * 1024).fill(7);
		const res = await alice.client.request('PUT', '/api/me/avatar', { body: big, headers: { 'content-type': 'image/png' } });
		expect(res.status).toBe(415);
		expect(res.data.error.field).toBe('file');
	});

	it('only POST /api/uploads may stream a chunked body; an avatar must declare its length (411)', async () => {
		const chunked = await post(server.url, '/api/me/avatar', { method: 'PUT', contentType: 'image/png', cookie: alice.cookie, end: true });
		expect(chunked.status).toBe(411);
		expect(JSON.parse(chunked.body).error.code).toBe('length_required');
	});

	it('each upload route has its own limit: an avatar over avatarMaxBytes is refused before it is read (413), an upload up to UPLOAD_MAX_BYTES is not', async () => {
		const avatar = await post(server.url, '/api/me/avatar', {
			method: 'PUT',
			declared: server.config.limits.avatarMaxBytes + 1024 * 1024,
			contentType: 'image/png',
			cookie: alice.cookie
		});
		expect(avatar.status).toBe(413);
		expect(JSON.parse(avatar.body).error.code).toBe('too_large');
		const upload = await post(server.url, '/api/uploads', {
			declared: server.config.uploadMaxBytes + 2 * 1024 * 1024,
			contentType: 'multipart/form-data; boundary=x',
			cookie: alice.cookie
		});
		expect(upload.status).toBe(413);
	});
});

describe(`Strict-Transport-Security (${testDatabaseKind()})`, () => {
	let https: TestServer;
	let plain: TestServer;
	beforeAll(async () => {
		https = await startTestServer({ env: { ORIGIN: 'https://parley.example' } });
		plain = await startTestServer();
	});
	afterAll(async () => {
		await https?.close();
		await plain?.close();
	});

	it('is sent when ORIGIN is https, on pages and API answers', async () => {
		for (const path of ['/healthz', '/login', '/api/me']) {
			const res = await fetch(new URL(path, https.url), { redirect: 'manual' });
			expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
		}
	});

	it('is not sent over a plain-http ORIGIN', async () => {
		const res = await fetch(new URL('/healthz', plain.url));
		expect(res.headers.get('strict-transport-security')).toBeNull();
	});
});
