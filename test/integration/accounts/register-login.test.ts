// Registration, sign-in, sign-out, the caller's profile and user search (SPEC §3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { GOOD_PASSWORD, nextSessionsEnded, registerUser, signIn } from './helpers.js';

describe(`registration and sign-in (${testDatabaseKind()})`, () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer();
	});
	afterAll(() => server?.close());

	it('creates the first account as admin, signed in with an HttpOnly session cookie', async () => {
		const client = new TestClient(server.url);
		const res = await client.post('/api/auth/register', { username: '  Alice_1 ', password: GOOD_PASSWORD, displayName: 'Alice A.' });
		expect(res.status).toBe(201);
		expect(res.data).toEqual({ user: { id: expect.stringMatching(/^[a-z2-7]{24}$/), username: 'alice_1', displayName: 'Alice A.' } });
		const cookie = res.headers.getSetCookie().find((line) => line.startsWith('session='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i);
		const me = await client.get('/api/me');
		expect(me.status).toBe(200);
		expect(me.data.user.username).toBe('alice_1');
		expect(me.data.inboxDocName).toBe(`inbox.${res.data.user.id}`);
		expect(me.data.account).toMatchObject({ role: 'admin', twoFactorEnabled: false, email: null });
		const second = await registerUser(server, 'bob');
		expect((await second.client.get('/api/me')).data.account.role).toBe('user');
	});

	it.each([
		[{ username: 'ab', password: GOOD_PASSWORD }, 'username'],
		[{ username: 'has space', password: GOOD_PASSWORD }, 'username'],
		[{ username: 'x'.repeat(33), password: GOOD_PASSWORD }, 'username'],
		[{ username: 'carol', password: 'short' }, 'password'],
		[{ username: 'carol', password: 'p'.repeat(257) }, 'password'],
		[{ username: 'carol', password: 'password123' }, 'password'],
		[{ username: 'carol', password: 'Qwerty2024' }, 'password'],
		[{ username: 'carol', password: GOOD_PASSWORD, displayName: '' }, 'displayName'],
		[{ username: 'carol', password: GOOD_PASSWORD, displayName: 'bad\u0000name' }, 'displayName'],
		[{ username: 'carol', password: GOOD_PASSWORD, email: 'not-mail' }, 'email'],
		[{ password: GOOD_PASSWORD }, 'username']
	])('refuses %j with 400 naming %s', async (body, field) => {
		const res = await new TestClient(server.url).post('/api/auth/register', body);
		expect(res.status).toBe(400);
		expect(res.data.error.message.startsWith(`${field}:`)).toBe(true);
	});

	it('refuses a body that is not JSON (415) or not well-formed (400)', async () => {
		const client = new TestClient(server.url);
		expect(
			(await client.request('POST', '/api/auth/register', { body: '<x/>', headers: { 'content-type': 'application/xml' } })).status
		).toBe(415);
		const bad = await client.request('POST', '/api/auth/register', { body: '{', headers: { 'content-type': 'application/json' } });
		expect(bad.status).toBe(400);
		expect(bad.data.error.code).toBe('invalid_json');
	});

	it('answers 409 for a username taken in any case', async () => {
		await registerUser(server, 'dave');
		const res = await new TestClient(server.url).post('/api/auth/register', { username: 'DAVE', password: GOOD_PASSWORD });
		expect(res.status).toBe(409);
		expect(res.data.error.code).toBe('username_taken');
	});

	it('signs in with the right pair and answers 401 to a wrong one', async () => {
		await registerUser(server, 'erin');
		const ok = await signIn(server, 'ERIN');
		expect(ok.res.status).toBe(200);
		expect(ok.res.data).toEqual({ user: expect.objectContaining({ username: 'erin' }) });
		expect((await ok.client.get('/api/me')).status).toBe(200);
		const wrong = await signIn(server, 'erin', 'not the password');
		expect(wrong.res.status).toBe(401);
		expect(wrong.res.data.error.code).toBe('invalid_credentials');
		expect(wrong.client.cookies.has('session')).toBe(false);
		const unknown = await signIn(server, 'nobody_here');
		expect(unknown.res.status).toBe(401);
		expect(unknown.res.data.error.message).toBe(wrong.res.data.error.message);
		const empty = await new TestClient(server.url).post('/api/auth/login', { username: '', password: 'x' });
		expect(empty.status).toBe(400);
		expect(empty.data.error.message).toMatch(/^username:/);
	});

	it('signs in by e-mail too', async () => {
		await registerUser(server, 'frank', { email: 'Frank@Example.org' });
		const byMail = await signIn(server, 'frank@example.org');
		expect(byMail.res.status).toBe(200);
		expect(byMail.res.data.user.username).toBe('frank');
	});

	it('logout ends the session at once and announces it', async () => {
		const { client } = await registerUser(server, 'gina');
		const ended = nextSessionsEnded(server);
		const res = await client.post('/api/auth/logout');
		expect(res.status).toBe(204);
		// issue 21 item 11: the browser drops its HTTP cache (year-long immutable uploads) and storage
		expect(res.headers.get('clear-site-data')).toBe('"cache", "storage"');
		expect(await ended).toHaveLength(1);
		expect(client.cookies.has('session')).toBe(false);
		expect((await client.get('/api/me')).status).toBe(401);
	});

	it('PATCH /api/me changes the display name, username and e-mail; 409 on a taken name', async () => {
		const { client } = await registerUser(server, 'hank');
		const res = await client.patch('/api/me', { displayName: '  Hank H  ', username: 'Hank_2', email: 'hank@example.org' });
		expect(res.status).toBe(200);
		expect(res.data.user).toMatchObject({ displayName: 'Hank H', username: 'hank_2' });
		expect(res.data.account.email).toBe('hank@example.org');
		expect((await client.patch('/api/me', { username: 'dave' })).status).toBe(409);
		const bad = await client.patch('/api/me', { username: '!' });
		expect(bad.status).toBe(400);
		expect(bad.data.error.message).toMatch(/^username:/);
		expect((await client.patch('/api/me', { role: 'admin' })).status).toBe(400);
		expect((await new TestClient(server.url).patch('/api/me', { displayName: 'x' })).status).toBe(401);
	});

	it('searches users by username or display name, ignoring case and excluding the caller', async () => {
		const { client } = await registerUser(server, 'searcher');
		await registerUser(server, 'zed_one', { displayName: 'Zoë Searchable' });
		await registerUser(server, 'percent_user', { displayName: '100% real' });
		const byName = await client.get('/api/users?q=SEARCH');
		expect(byName.status).toBe(200);
		const names = byName.data.users.map((user: { username: string }) => user.username);
		expect(names).toContain('zed_one');
		expect(names).not.toContain('searcher');
		expect(byName.data.users[0]).toEqual({ id: expect.any(String), username: expect.any(String), displayName: expect.any(String) });
		// LIKE wildcards in the query are taken literally.
		const literal = await client.get('/api/users?q=%25');
		expect(literal.data.users.map((user: { username: string }) => user.username)).toEqual(['percent_user']);
		expect((await client.get('/api/users?q=')).status).toBe(400);
		expect((await new TestClient(server.url).get('/api/users?q=a')).status).toBe(401);
		const one = await client.get(`/api/users/${byName.data.users[0].id}`);
		expect(one.status).toBe(200);
		expect((await client.get('/api/users/aaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
	});

	it('keeps accounts and sessions across a restart', async () => {
		const { client } = await registerUser(server, 'ivan');
		server = await server.restart();
		const again = new TestClient(server.url);
		for (const [name, value] of client.cookies) again.cookies.set(name, value);
		expect((await again.get('/api/me')).data.user.username).toBe('ivan');
		expect((await signIn(server, 'ivan')).res.status).toBe(200);
	});
});
