// Registration modes: invite-only (admin-made, single-use links) and closed; the first account
// is always possible and becomes admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { GOOD_PASSWORD, TestClock, registerUser } from './helpers.js';

const register = (server: TestServer, body: Record<string, unknown>) =>
	new TestClient(server.url).post('/api/auth/register', { password: GOOD_PASSWORD, ...body });

describe(`invite-only registration (${testDatabaseKind()})`, () => {
	let server: TestServer;
	const clock = new TestClock();
	beforeAll(async () => {
		server = await startTestServer({ env: { REGISTRATION: 'invite' }, now: clock.now });
	});
	afterAll(() => server?.close());

	it('lets the first account in without an invite, then needs a valid, unused one', async () => {
		const admin = await registerUser(server, 'founder');
		expect((await admin.client.get('/api/me')).data.account.role).toBe('admin');
		const none = await register(server, { username: 'walkin' });
		expect(none.status).toBe(403);
		expect(none.data.error.code).toBe('invite_required');

		const created = await admin.client.post('/api/admin/invites');
		expect(created.status).toBe(201);
		const invite = new URL(created.data.url).searchParams.get('invite')!;
		expect(created.data.invite).toMatchObject({ id: expect.any(String), usedAt: null });
		expect((await register(server, { username: 'guest1', invite })).status).toBe(201);
		const reused = await register(server, { username: 'guest2', invite });
		expect(reused.status).toBe(403);
		expect(reused.data.error.code).toBe('invalid_invite');
		// A refused registration leaves no account behind.
		expect(await server.db.query(`select 1 from users where username = 'guest2'`)).toHaveLength(0);
		const bogus = await register(server, { username: 'guest3', invite: 'a'.repeat(32) });
		expect(bogus.status).toBe(403);
		const malformed = await register(server, { username: 'guest3', invite: 'not a token!' });
		expect(malformed.status).toBe(400);
		expect(malformed.data.error.message).toMatch(/^invite:/);

		const list = await admin.client.get('/api/admin/invites');
		expect(list.data.invites).toHaveLength(1);
		expect(list.data.invites[0].usedAt).not.toBeNull();
		expect(list.text).not.toContain(invite);
	});

	it('an invite expires, can be withdrawn, and only admins make them', async () => {
		const admin = new TestClient(server.url);
		await admin.post('/api/auth/login', { username: 'founder', password: GOOD_PASSWORD });
		const late = await admin.post('/api/admin/invites');
		const withdrawn = await admin.post('/api/admin/invites');
		expect((await admin.delete(`/api/admin/invites/${withdrawn.data.invite.id}`)).status).toBe(204);
		expect((await admin.delete(`/api/admin/invites/${withdrawn.data.invite.id}`)).status).toBe(404);
		expect((await register(server, { username: 'guest4', invite: new URL(withdrawn.data.url).searchParams.get('invite') })).status).toBe(
			403
		);
		clock.advance(server.config.limits.inviteTtlMs + 1000);
		expect((await register(server, { username: 'guest5', invite: new URL(late.data.url).searchParams.get('invite') })).status).toBe(403);

		const guest = new TestClient(server.url);
		await guest.post('/api/auth/login', { username: 'guest1', password: GOOD_PASSWORD });
		expect((await guest.post('/api/admin/invites')).status).toBe(403);
		expect((await guest.get('/api/admin/invites')).status).toBe(403);
		expect((await new TestClient(server.url).get('/api/admin/invites')).status).toBe(401);
	});
});

describe(`closed registration (${testDatabaseKind()})`, () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer({ env: { REGISTRATION: 'closed' } });
	});
	afterAll(() => server?.close());

	it('accepts only the first account', async () => {
		expect((await register(server, { username: 'owner' })).status).toBe(201);
		const res = await register(server, { username: 'late' });
		expect(res.status).toBe(403);
		expect(res.data.error.code).toBe('registration_closed');
	});
});
