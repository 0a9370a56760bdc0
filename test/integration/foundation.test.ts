import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TestClient } from '../helpers/http.js';
import { testDatabaseKind } from '../helpers/database.js';

describe(`foundation (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let client: TestClient;
	beforeAll(async () => {
		server = await startTestServer();
		client = new TestClient(server.url);
	});
	afterAll(() => server?.close());

	it('GET /healthz answers while the process is up', async () => {
		const res = await client.get('/healthz');
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ status: 'ok' });
	});

	it('GET /readyz checks the database', async () => {
		const res = await client.get('/readyz');
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ status: 'ready', database: testDatabaseKind() });
	});

	it('GET /api/me without a session is 401 in the error shape', async () => {
		const res = await client.get('/api/me');
		expect(res.status).toBe(401);
		expect(res.data).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
	});

	it.each(['GET', 'POST', 'DELETE'])('an unknown /api route answers 404 in the error shape (%s)', async (method) => {
		const res = await client.request(method, '/api/no/such/route');
		expect(res.status).toBe(404);
		expect(res.data.error.code).toBe('not_found');
	});

	it('a malformed or wrongly typed JSON body is a 400/415 in the error shape, never a 500', async () => {
		const malformed = await client.request('POST', '/api/auth/login', {
			body: '{"username": ',
			headers: { 'content-type': 'application/json' }
		});
		expect(malformed.status).toBe(400);
		expect(malformed.data.error.code).toBe('invalid_json');
		// (text/plain is a form type: SvelteKit's own CSRF check answers those without an Origin with 403.)
		const notJson = await client.request('POST', '/api/auth/login', { body: '<a/>', headers: { 'content-type': 'application/xml' } });
		expect(notJson.status).toBe(415);
		const tooBig = await client.request('POST', '/api/auth/login', {
			body: JSON.stringify({ username: 'x'.repeat(200_000) }),
			headers: { 'content-type': 'application/json' }
		});
		expect(tooBig.status).toBe(413);
	});

	it('every answer carries a request id and the security headers', async () => {
		const res = await client.get('/');
		expect(res.status).toBe(200);
		expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toMatch(/script-src 'self' 'nonce-/);
		const api = await client.get('/api/me');
		expect(api.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('keeps a well-formed incoming request id and replaces a malformed one', async () => {
		const kept = await client.get('/healthz', { headers: { 'x-request-id': 'proxy-abc-12345' } });
		expect(kept.headers.get('x-request-id')).toBe('proxy-abc-12345');
		const replaced = await client.get('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
		expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
	});

	it('refuses a state-changing API call from a foreign Origin', async () => {
		const res = await client.request('POST', '/api/no/such/route', { headers: { origin: 'https://evil.example' } });
		expect(res.status).toBe(403);
		expect(res.data.error.code).toBe('bad_origin');
	});

	it('keeps its data across a restart', async () => {
		await server.db.query(`insert into server_meta (key, value) values ('restart-probe', 'kept')`);
		server = await server.restart();
		client = new TestClient(server.url);
		const rows = await server.db.query<{ value: string }>(`select value from server_meta where key = 'restart-probe'`);
		expect(rows).toEqual([{ value: 'kept' }]);
		expect((await client.get('/readyz')).status).toBe(200);
	});
});
