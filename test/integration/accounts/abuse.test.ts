// Issue 8 item 4 and the lockout of item 9: reset confirmation looks the token up before any
// argon2 work and is rate limited; user and channel search are rate limited; argon2 work goes
// through a bounded queue (503 busy with Retry-After when full); sign-in attempts are limited per
// account and address pair, so someone else's wrong guesses do not lock the owner out of their own
// address, under a higher ceiling per account.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { testDatabaseKind } from '../../helpers/database.js';
import { TestClient } from '../../helpers/http.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { GOOD_PASSWORD, registerUser } from './helpers.js';

/** A JSON POST from a chosen loopback address (all of 127/8 reaches the server on Linux). */
function postFrom(url: string, path: string, json: unknown, localAddress: string) {
	const { hostname, port } = new URL(url);
	const body = JSON.stringify(json);
	return new Promise<{ status: number; data: any; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
		const request = http.request(
			{
				hostname,
				port,
				path,
				method: 'POST',
				localAddress,
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
			},
			(res) => {
				let text = '';
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, data: text ? JSON.parse(text) : undefined, headers: res.headers }));
			}
		);
		request.on('error', reject);
		request.end(body);
	});
}

const signInFrom = (server: TestServer, address: string, username: string, password: string) =>
	postFrom(server.url, '/api/auth/login', { username, password }, address);

describe(`abuse limits on accounts (${testDatabaseKind()})`, () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer({
			overrides: {
				limits: {
					...DEFAULT_LIMITS,
					rateLoginPairMax: 3,
					rateLoginAccountMax: 6,
					rateResetConfirmAddressMax: 3,
					rateUserSearchMax: 3,
					rateChannelSearchMax: 3,
					// One argon2 task at a time and none waiting: a held slot makes the queue full.
					argon2Concurrency: 1,
					argon2MaxQueued: 0
				}
			}
		});
	});
	afterAll(() => server?.close());

	it('the limits are on by default', () => {
		for (const key of [
			'rateLoginPairMax',
			'rateResetConfirmAddressMax',
			'rateUserSearchMax',
			'rateChannelSearchMax',
			'argon2Concurrency',
			'argon2MaxQueued'
		] as const)
			expect(DEFAULT_LIMITS[key]).toBeGreaterThan(0);
		expect(DEFAULT_LIMITS.rateLoginAccountMax).toBeGreaterThan(DEFAULT_LIMITS.rateLoginPairMax);
	});

	it("someone else's wrong passwords do not lock the owner out of their own address; the account ceiling does", async () => {
		await registerUser(server, 'owner');
		const attacker = '127.0.0.2';
		for (let i = 0; i < 3; i++) expect((await signInFrom(server, attacker, 'owner', 'wrong password')).status).toBe(401);
		const locked = await signInFrom(server, attacker, 'owner', GOOD_PASSWORD);
		expect(locked.status).toBe(429);
		expect(locked.data.error.code).toBe('rate_limited');
		expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
		// The owner, from their own address, with the right password.
		const owner = await signInFrom(server, '127.0.0.1', 'owner', GOOD_PASSWORD);
		expect(owner.status, JSON.stringify(owner.data)).toBe(200);
		// Guessing from yet another address counts towards the account's ceiling (6 here) …
		const other = '127.0.0.3';
		expect((await signInFrom(server, other, 'owner', 'wrong password')).status).toBe(401);
		expect((await signInFrom(server, other, 'owner', 'wrong password')).status).toBe(401);
		expect((await signInFrom(server, other, 'owner', 'wrong password')).status).toBe(429);
		// … which, once reached, holds for every address (the documented trade-off).
		expect((await signInFrom(server, '127.0.0.1', 'owner', GOOD_PASSWORD)).status).toBe(429);
	});

	it('reset confirmation looks the token up before the password and any argon2 work', async () => {
		await registerUser(server, 'patient');
		let release!: () => void;
		const held = server.parley.runtime.passwordWork.run(() => new Promise<void>((resolve) => (release = resolve)));
		try {
			// The queue is full: anything that hashes answers 503 at once …
			const busy = await new TestClient(server.url).post('/api/auth/login', { username: 'patient', password: GOOD_PASSWORD });
			expect(busy.status).toBe(503);
			expect(busy.data.error.code).toBe('busy');
			expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
			// … but a bogus token (with a password the policy refuses) is answered from the lookup alone.
			const bogus = await postFrom(server.url, '/api/auth/reset/confirm', { token: 'a'.repeat(32), password: 'password123' }, '127.0.0.4');
			expect(bogus.status).toBe(400);
			expect(bogus.data.error.code).toBe('invalid_token');
			expect(bogus.data.error.field).toBe('token');
		} finally {
			release();
			await held;
		}
		// Once the slot is free, sign-in works again.
		expect((await new TestClient(server.url).post('/api/auth/login', { username: 'patient', password: GOOD_PASSWORD })).status).toBe(200);
	});

	it('reset confirmation is rate limited per address', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++)
			statuses.push(
				(await postFrom(server.url, '/api/auth/reset/confirm', { token: 'b'.repeat(32), password: GOOD_PASSWORD }, '127.0.0.5')).status
			);
		expect(statuses).toEqual([400, 400, 400, 429]);
	});

	it('the reset page action is held to the same limit', async () => {
		const client = new TestClient(server.url);
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) {
			const res = await client.request('POST', `/reset-password?token=${'d'.repeat(32)}`, {
				body: new URLSearchParams({ password: GOOD_PASSWORD }),
				headers: { origin: server.origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
			});
			statuses.push(res.data.status);
		}
		expect(statuses).toEqual([400, 400, 400, 429]);
	});

	it('user search and channel search are rate limited per user', async () => {
		const { client } = await registerUser(server, 'searcher');
		for (const path of ['/api/users?q=own', '/api/channels?q=x']) {
			const statuses: number[] = [];
			for (let i = 0; i < 4; i++) statuses.push((await client.get(path)).status);
			expect(statuses, path).toEqual([200, 200, 200, 429]);
			const limited = await client.get(path);
			expect(limited.data.error.code).toBe('rate_limited');
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		}
		// Once over the limit, refusals are answered from memory: the counter in the database stops moving.
		const count = async () =>
			(await server.db.query<{ count: number }>(`select count from rate_limits where key like 'search:users:%'`))[0]!.count;
		const before = await count();
		for (let i = 0; i < 3; i++) expect((await client.get('/api/users?q=own')).status).toBe(429);
		expect(await count()).toBe(before);
	});
});
