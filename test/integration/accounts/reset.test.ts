// Password reset: by mail through a real loopback SMTP server, and by an admin's link (SPEC §3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { GOOD_PASSWORD, TestClock, nextSessionsEnded, registerUser, signIn, waitFor } from './helpers.js';
import { resetLinkIn, startSmtpServer } from './smtp.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe(`password reset by mail (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
	const clock = new TestClock();
	beforeAll(async () => {
		smtp = await startSmtpServer();
		server = await startTestServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Parley <parley@example.org>' }, now: clock.now });
	});
	afterAll(async () => {
		await server?.close();
		await smtp?.close();
	});

	it('mails a single-use link that sets the password and ends every session', async () => {
		await registerUser(server, 'admin0');
		const { client } = await registerUser(server, 'rita', { email: 'rita@example.org' });
		const res = await new TestClient(server.url).post('/api/auth/reset/request', { login: 'Rita' });
		expect(res.status).toBe(202);
		const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes('rita@example.org')));
		expect(mail.raw).toMatch(/Subject: Parley: reset your password/);
		const link = new URL(resetLinkIn(mail.raw));
		expect(link.origin).toBe(server.origin);
		const token = link.searchParams.get('token')!;

		// The page behind the link answers and offers the form.
		const page = await new TestClient(server.url).get(`/reset-password?token=${token}`);
		expect(page.status).toBe(200);

		const ended = nextSessionsEnded(server);
		const confirm = await new TestClient(server.url).post('/api/auth/reset/confirm', { token, password: NEW_PASSWORD });
		expect(confirm.status).toBe(204);
		expect(await ended).toHaveLength(1);
		expect((await client.get('/api/me')).status).toBe(401);
		expect((await signIn(server, 'rita', NEW_PASSWORD)).res.status).toBe(200);
		expect((await signIn(server, 'rita')).res.status).toBe(401);

		const again = await new TestClient(server.url).post('/api/auth/reset/confirm', { token, password: 'yet another passphrase' });
		expect(again.status).toBe(400);
		expect(again.data.error.message).toMatch(/^token:/);
	});

	it('answers 202 for unknown users and users without e-mail, and sends nothing', async () => {
		await registerUser(server, 'nomail');
		const before = smtp.mails.length;
		for (const login of ['nomail', 'no_such_user', 'ghost@example.org'])
			expect((await new TestClient(server.url).post('/api/auth/reset/request', { login })).status).toBe(202);
		// A known account's mail is sent after these; once it arrives, the earlier ones would have too.
		await registerUser(server, 'marker', { email: 'marker@example.org' });
		await new TestClient(server.url).post('/api/auth/reset/request', { login: 'marker' });
		await waitFor(() => smtp.mails.find((m) => m.to.includes('marker@example.org')));
		expect(smtp.mails.length).toBe(before + 1);
	});

	it('a link expires after an hour; a weak password or bad token is refused with 400', async () => {
		await registerUser(server, 'sol', { email: 'sol@example.org' });
		await new TestClient(server.url).post('/api/auth/reset/request', { login: 'sol@example.org' });
		const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes('sol@example.org')));
		const token = new URL(resetLinkIn(mail.raw)).searchParams.get('token')!;
		const weak = await new TestClient(server.url).post('/api/auth/reset/confirm', { token, password: 'password1' });
		expect(weak.status).toBe(400);
		expect(weak.data.error.message).toMatch(/^password:/);
		const malformed = await new TestClient(server.url).post('/api/auth/reset/confirm', { token: 'x!', password: NEW_PASSWORD });
		expect(malformed.status).toBe(400);
		expect(malformed.data.error.message).toMatch(/^token:/);
		clock.advance(server.config.limits.resetTokenTtlMs + 1000);
		const late = await new TestClient(server.url).post('/api/auth/reset/confirm', { token, password: NEW_PASSWORD });
		expect(late.status).toBe(400);
		expect(late.data.error.code).toBe('invalid_token');
	});

	it('rate-limits reset requests per address with 429 and Retry-After', async () => {
		const client = new TestClient(server.url);
		let last;
		for (let i = 0; i <= server.config.limits.rateResetAddressMax + 1; i++)
			last = await client.post('/api/auth/reset/request', { login: 'whoever' });
		expect(last!.status).toBe(429);
		expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await client.post('/api/auth/reset/request', {})).status).toBe(400);
	});
});

describe(`admin reset links without SMTP (${testDatabaseKind()})`, () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer();
	});
	afterAll(() => server?.close());

	it('an admin issues a one-time reset link for any user; others get 403', async () => {
		const admin = await registerUser(server, 'boss');
		const { client: user, user: target } = await registerUser(server, 'worker');
		expect((await new TestClient(server.url).post('/api/auth/reset/request', { login: 'worker' })).status).toBe(202);
		expect((await user.post(`/api/admin/users/${target.id}/reset-link`)).status).toBe(403);
		expect((await new TestClient(server.url).post(`/api/admin/users/${target.id}/reset-link`)).status).toBe(401);
		expect((await admin.client.post('/api/admin/users/aaaaaaaaaaaaaaaaaaaaaaaa/reset-link')).status).toBe(404);
		const issued = await admin.client.post(`/api/admin/users/${target.id}/reset-link`);
		expect(issued.status).toBe(201);
		const token = new URL(issued.data.url).searchParams.get('token')!;
		expect(new Date(issued.data.expiresAt).getTime()).toBeGreaterThan(Date.now());
		expect((await new TestClient(server.url).post('/api/auth/reset/confirm', { token, password: NEW_PASSWORD })).status).toBe(204);
		expect((await user.get('/api/me')).status).toBe(401);
		expect((await signIn(server, 'worker', NEW_PASSWORD)).res.status).toBe(200);
		expect((await signIn(server, 'worker', GOOD_PASSWORD)).res.status).toBe(401);
	});

	it('admins list accounts without secrets', async () => {
		const admin = await new TestClient(server.url);
		expect((await admin.post('/api/auth/login', { username: 'boss', password: GOOD_PASSWORD })).status).toBe(200);
		const list = await admin.get('/api/admin/users');
		expect(list.status).toBe(200);
		expect(list.data.users[0]).toEqual({
			id: expect.any(String),
			username: 'boss',
			displayName: 'boss',
			role: 'admin',
			twoFactorEnabled: false,
			hasEmail: false,
			createdAt: expect.any(String)
		});
		expect(list.text).not.toMatch(/argon2|password/i);
	});
});
