// Two-factor: setup, enabling only after a correct code, half-signed-in sessions, no replay,
// single-use recovery codes, disabling with the password (SPEC §3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { GOOD_PASSWORD, TestClock, enableTwoFactor, registerUser, signIn, totpAt } from './helpers.js';

const STEP_MS = 30_000;

describe(`two-factor sign-in (${testDatabaseKind()})`, () => {
	let server: TestServer;
	const clock = new TestClock();
	beforeAll(async () => {
		server = await startTestServer({ now: clock.now });
	});
	afterAll(() => server?.close());

	it('setup answers a base32 secret and its otpauth URI; a wrong code does not enable', async () => {
		const { client } = await registerUser(server, 'tina');
		const setup = await client.post('/api/auth/2fa/setup');
		expect(setup.status).toBe(200);
		expect(setup.data.secret).toMatch(/^[A-Z2-7]{32}$/);
		const uri = new URL(setup.data.uri);
		expect(uri.protocol).toBe('otpauth:');
		expect(uri.searchParams.get('secret')).toBe(setup.data.secret);
		expect(uri.searchParams.get('digits')).toBe('6');
		expect(uri.searchParams.get('period')).toBe('30');
		const wrong = await client.post('/api/auth/2fa/enable', { code: totpAt(setup.data.secret, clock.now() + 10 * STEP_MS) });
		expect(wrong.status).toBe(400);
		expect(wrong.data.error.message).toMatch(/^code:/);
		const missing = await client.post('/api/auth/2fa/enable', {});
		expect(missing.status).toBe(400);
		expect(missing.data.error.message).toMatch(/^code:/);
		expect((await client.get('/api/me')).data.account.twoFactorEnabled).toBe(false);
		expect((await new TestClient(server.url).post('/api/auth/2fa/setup')).status).toBe(401);
	});

	it('enabling needs a setup first, answers 10 distinct recovery codes once, and refuses a second setup', async () => {
		const { client } = await registerUser(server, 'uma');
		const early = await client.post('/api/auth/2fa/enable', { code: '123456' });
		expect(early.status).toBe(409);
		const { recoveryCodes } = await enableTwoFactor(client, clock);
		expect(recoveryCodes).toHaveLength(10);
		expect(new Set(recoveryCodes).size).toBe(10);
		for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
		expect((await client.get('/api/me')).data.account.twoFactorEnabled).toBe(true);
		expect((await client.post('/api/auth/2fa/setup')).status).toBe(409);
	});

	it('a half-signed-in session can only verify or log out; a code works once per step', async () => {
		const { client } = await registerUser(server, 'vera');
		const { secret } = await enableTwoFactor(client, clock);
		clock.advance(STEP_MS); // the enabling code's step is used up

		const half = await signIn(server, 'vera');
		expect(half.res.status).toBe(200);
		expect(half.res.data).toEqual({ twoFactorRequired: true });
		for (const [method, path] of [
			['GET', '/api/me'],
			['GET', '/api/sessions'],
			['POST', '/api/auth/2fa/setup'],
			['GET', '/api/users?q=ve'],
			['GET', '/api/me/privacy']
		] as const)
			expect((await half.client.request(method, path)).status, path).toBe(401);
		const wrong = await half.client.post('/api/auth/2fa/verify', { code: '000000' === totpAt(secret, clock.now()) ? '111111' : '000000' });
		expect(wrong.status).toBe(401);
		expect(wrong.data.error.code).toBe('invalid_code');

		const code = totpAt(secret, clock.now());
		const pendingToken = half.client.cookies.get('session');
		const ok = await half.client.post('/api/auth/2fa/verify', { code });
		expect(ok.status).toBe(200);
		expect(ok.data.user.username).toBe('vera');
		// The half session's token is replaced by a new one.
		expect(half.client.cookies.get('session')).not.toBe(pendingToken);
		expect((await half.client.get('/api/me')).status).toBe(200);
		expect((await half.client.post('/api/auth/2fa/verify', { code })).status).toBe(409);

		const replay = await signIn(server, 'vera');
		expect((await replay.client.post('/api/auth/2fa/verify', { code })).status).toBe(401);
		clock.advance(STEP_MS);
		expect((await replay.client.post('/api/auth/2fa/verify', { code: totpAt(secret, clock.now()) })).status).toBe(200);
	});

	it('accepts a code from one step before or after, not two', async () => {
		const { client } = await registerUser(server, 'walt');
		const { secret } = await enableTwoFactor(client, clock);
		clock.advance(5 * STEP_MS);
		const far = await signIn(server, 'walt');
		expect((await far.client.post('/api/auth/2fa/verify', { code: totpAt(secret, clock.now() - 2 * STEP_MS) })).status).toBe(401);
		expect((await far.client.post('/api/auth/2fa/verify', { code: totpAt(secret, clock.now() - STEP_MS) })).status).toBe(200);
	});

	it('each recovery code works once, in any case and with or without its dash', async () => {
		const { client } = await registerUser(server, 'xena');
		const { recoveryCodes } = await enableTwoFactor(client, clock);
		const first = await signIn(server, 'xena');
		expect((await first.client.post('/api/auth/2fa/verify', { code: recoveryCodes[0]!.toUpperCase().replace('-', '') })).status).toBe(200);
		const second = await signIn(server, 'xena');
		expect((await second.client.post('/api/auth/2fa/verify', { code: recoveryCodes[0] })).status).toBe(401);
		expect((await second.client.post('/api/auth/2fa/verify', { code: recoveryCodes[1] })).status).toBe(200);
	});

	it('disabling needs the password; afterwards sign-in needs no code', async () => {
		const { client } = await registerUser(server, 'yuri');
		await enableTwoFactor(client, clock);
		const wrong = await client.post('/api/auth/2fa/disable', { password: 'wrong password' });
		expect(wrong.status).toBe(403);
		expect(wrong.data.error.message).toMatch(/^password:/);
		expect((await client.post('/api/auth/2fa/disable', {})).status).toBe(400);
		expect((await client.post('/api/auth/2fa/disable', { password: GOOD_PASSWORD })).status).toBe(204);
		expect((await signIn(server, 'yuri')).res.data.user.username).toBe('yuri');
	});

	it('verify without any session is 401; a half session can log out', async () => {
		expect((await new TestClient(server.url).post('/api/auth/2fa/verify', { code: '123456' })).status).toBe(401);
		const { client } = await registerUser(server, 'zack');
		await enableTwoFactor(client, clock);
		const half = await signIn(server, 'zack');
		expect((await half.client.post('/api/auth/logout')).status).toBe(204);
		expect((await half.client.post('/api/auth/2fa/verify', { code: '123456' })).status).toBe(401);
	});

	it('rate-limits second-factor attempts with 429 and Retry-After', async () => {
		const { client } = await registerUser(server, 'ratey');
		const { secret } = await enableTwoFactor(client, clock);
		clock.advance(STEP_MS);
		const half = await signIn(server, 'ratey');
		const max = server.config.limits.rateTwoFactorMax;
		for (let i = 0; i < max; i++) expect((await half.client.post('/api/auth/2fa/verify', { code: 'aaaaa-aaaaa' })).status).toBe(401);
		const limited = await half.client.post('/api/auth/2fa/verify', { code: totpAt(secret, clock.now()) });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		clock.advance(server.config.limits.rateTwoFactorWindowMs);
		expect((await half.client.post('/api/auth/2fa/verify', { code: totpAt(secret, clock.now()) })).status).toBe(200);
	});
});
