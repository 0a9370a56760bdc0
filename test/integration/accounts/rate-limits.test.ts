// Rate limits are on by default, answer 429 with Retry-After, live in the database (so every
// instance shares them) and reopen when their window has passed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { GOOD_PASSWORD, TestClock, registerUser, signIn } from './helpers.js';
import { DEFAULT_LIMITS } from '$lib/server/config';

describe(`rate limits (${testDatabaseKind()})`, () => {
	let server: TestServer;
	const clock = new TestClock();
	beforeAll(async () => {
		// Smaller limits keep the test short; the defaults are asserted to be on below.
		server = await startTestServer({
			now: clock.now,
			overrides: { limits: { ...DEFAULT_LIMITS, rateLoginAccountMax: 3, rateLoginAddressMax: 8, rateRegisterAddressMax: 4 } }
		});
	});
	afterAll(() => server?.close());

	it('are on by default', () => {
		for (const key of [
			'rateLoginAccountMax',
			'rateLoginAddressMax',
			'rateTwoFactorMax',
			'rateRegisterAddressMax',
			'rateResetAddressMax'
		] as const)
			expect(DEFAULT_LIMITS[key]).toBeGreaterThan(0);
	});

	it('limit sign-in per account, even with the right password, until the window passes', async () => {
		await registerUser(server, 'target');
		for (let i = 0; i < 3; i++) expect((await signIn(server, 'target', 'wrong password')).res.status).toBe(401);
		const limited = await signIn(server, 'target');
		expect(limited.res.status).toBe(429);
		expect(limited.res.data.error.code).toBe('rate_limited');
		const retryAfter = Number(limited.res.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(DEFAULT_LIMITS.rateLoginAccountWindowMs / 1000);
		// The counter is in the database, where a second instance would see it too.
		const [row] = await server.db.query<{ count: number }>(`select count from rate_limits where key like 'login:account:%'`);
		expect(row!.count).toBeGreaterThan(3);
		clock.advance(DEFAULT_LIMITS.rateLoginAccountWindowMs);
		expect((await signIn(server, 'target')).res.status).toBe(200);
	});

	it('limit sign-in per address across accounts', async () => {
		clock.advance(DEFAULT_LIMITS.rateLoginAddressWindowMs);
		let status = 0;
		for (let i = 0; i < 9; i++) status = (await signIn(server, `spray_${i}`, 'Winter2024!')).res.status;
		expect(status).toBe(429);
	});

	it('limit registrations per address', async () => {
		clock.advance(DEFAULT_LIMITS.rateRegisterAddressWindowMs);
		const statuses = [];
		for (let i = 0; i < 5; i++)
			statuses.push(
				(await new TestClient(server.url).post('/api/auth/register', { username: `bulk_${i}`, password: GOOD_PASSWORD })).status
			);
		expect(statuses).toEqual([201, 201, 201, 201, 429]);
	});
});
