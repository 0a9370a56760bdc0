// Session list and revocation, password change ending the other sessions (SPEC §3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { GOOD_PASSWORD, TestClock, nextSessionsEnded, registerUser, signIn } from './helpers.js';
import { sessionIdOf } from '$lib/server/auth/sessions';

describe(`sessions (${testDatabaseKind()})`, () => {
	let server: TestServer;
	const clock = new TestClock();
	beforeAll(async () => {
		server = await startTestServer({ now: clock.now });
	});
	afterAll(() => server?.close());

	it('lists the sessions with the current one marked, never exposing the stored id', async () => {
		const { client } = await registerUser(server, 'sam');
		await signIn(server, 'sam', GOOD_PASSWORD, 'Phone/1.0');
		const res = await client.get('/api/sessions');
		expect(res.status).toBe(200);
		expect(res.data.sessions).toHaveLength(2);
		const current = res.data.sessions.find((s: { current: boolean }) => s.current);
		expect(current).toEqual({
			id: expect.stringMatching(/^[a-z2-7]{24}$/),
			current: true,
			createdAt: expect.any(String),
			lastSeenAt: expect.any(String),
			userAgent: 'test-agent sam'
		});
		expect(res.data.sessions.find((s: { current: boolean }) => !s.current).userAgent).toBe('Phone/1.0');
		const storedId = sessionIdOf(client.cookies.get('session')!);
		expect(res.text).not.toContain(storedId);
		expect((await new TestClient(server.url).get('/api/sessions')).status).toBe(401);
	});

	it('GET /api/session answers 200 whether signed in or not (the boot logs no 401)', async () => {
		const signedOut = await new TestClient(server.url).get('/api/session');
		expect(signedOut.status).toBe(200);
		expect(signedOut.data).toEqual({ user: null });
		const { client } = await registerUser(server, 'ada');
		const me = await client.get('/api/me');
		const res = await client.get('/api/session');
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ user: me.data.user, inboxDocName: me.data.inboxDocName });
	});

	it('DELETE /api/sessions/:id signs that device out at once and fires sessionsEnded with its id', async () => {
		const { client } = await registerUser(server, 'tom');
		const other = await signIn(server, 'tom', GOOD_PASSWORD, 'Laptop');
		const otherStoredId = sessionIdOf(other.client.cookies.get('session')!);
		const list = await client.get('/api/sessions');
		const target = list.data.sessions.find((s: { current: boolean }) => !s.current);
		const ended = nextSessionsEnded(server);
		expect((await client.delete(`/api/sessions/${target.id}`)).status).toBe(204);
		expect(await ended).toEqual([otherStoredId]);
		expect((await other.client.get('/api/me')).status).toBe(401);
		expect((await client.get('/api/me')).status).toBe(200);
		expect((await client.delete(`/api/sessions/${target.id}`)).status).toBe(404);
	});

	it("another user's session answers 404 and stays signed in", async () => {
		const mallory = await registerUser(server, 'mallory');
		const victim = await registerUser(server, 'victim');
		const victimSession = (await victim.client.get('/api/sessions')).data.sessions[0].id;
		expect((await mallory.client.delete(`/api/sessions/${victimSession}`)).status).toBe(404);
		expect((await victim.client.get('/api/me')).status).toBe(200);
	});

	it('password change keeps this session, ends every other one, and takes the new password', async () => {
		const { client } = await registerUser(server, 'uri');
		const laptop = await signIn(server, 'uri', GOOD_PASSWORD, 'Laptop');
		const phone = await signIn(server, 'uri', GOOD_PASSWORD, 'Phone');
		const ended = nextSessionsEnded(server);
		const newPassword = 'another long secret phrase';
		const res = await client.post('/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword });
		expect(res.status).toBe(204);
		expect((await ended).sort()).toEqual(
			[laptop.client.cookies.get('session')!, phone.client.cookies.get('session')!].map(sessionIdOf).sort()
		);
		expect((await client.get('/api/me')).status).toBe(200);
		expect((await laptop.client.get('/api/me')).status).toBe(401);
		expect((await signIn(server, 'uri')).res.status).toBe(401);
		expect((await signIn(server, 'uri', newPassword)).res.status).toBe(200);
	});

	it('password change refuses a wrong current password (403), a weak or short new one (400), and no session (401)', async () => {
		const { client } = await registerUser(server, 'vic');
		const wrong = await client.post('/api/auth/password', { currentPassword: 'nope nope', newPassword: 'a fine new password' });
		expect(wrong.status).toBe(403);
		expect(wrong.data.error.message).toMatch(/^currentPassword:/);
		const weak = await client.post('/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword: 'iloveyou2020' });
		expect(weak.status).toBe(400);
		expect(weak.data.error.message).toMatch(/^newPassword:/);
		const short = await client.post('/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword: 'short' });
		expect(short.status).toBe(400);
		expect(short.data.error.message).toMatch(/^newPassword:/);
		expect((await new TestClient(server.url).post('/api/auth/password', { currentPassword: 'a', newPassword: 'bbbbbbbbbbb' })).status).toBe(
			401
		);
	});

	it('an expired session is refused and removed; one used in its last 15 days is renewed', async () => {
		const { client } = await registerUser(server, 'wes');
		const { limits } = server.config;
		clock.advance(limits.sessionTtlMs - limits.sessionRenewWithinMs + 60_000);
		const renewed = await client.get('/api/me');
		expect(renewed.status).toBe(200);
		expect(renewed.headers.getSetCookie().some((line) => line.startsWith('session='))).toBe(true);
		const { client: stale } = await registerUser(server, 'wes_stale');
		const staleId = sessionIdOf(stale.cookies.get('session')!);
		expect(await server.db.query(`select 1 from sessions where id = $1`, [staleId])).toHaveLength(1);
		clock.advance(limits.sessionTtlMs + 1);
		expect((await stale.get('/api/me')).status).toBe(401);
		expect(stale.cookies.has('session')).toBe(false);
		expect(await server.db.query(`select 1 from sessions where id = $1`, [staleId])).toHaveLength(0);
	});
});
