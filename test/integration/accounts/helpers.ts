// Shared steps of the account tests: making users, computing TOTP codes at the server's clock.
import { expect } from 'vitest';
import { generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { TestClient } from '../../helpers/http.js';
import type { TestServer } from '../../helpers/server.js';

/** A password that passes the policy. */
export const GOOD_PASSWORD = 'correct horse battery staple';

/** A clock the test moves by hand (starts at the real time so cookies stay valid). */
export class TestClock {
	#offset = 0;
	now = () => Date.now() + this.#offset;
	advance(ms: number) {
		this.#offset += ms;
	}
}

/** The TOTP code (SHA-1, 6 digits, 30 s) for `secret` at `nowMs`. */
export function totpAt(secret: string, nowMs: number): string {
	return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(nowMs / 30_000)), 6);
}

/** Registers `username` on a fresh client and returns the signed-in client and the user. */
export async function registerUser(server: TestServer, username: string, extra: Record<string, unknown> = {}) {
	const client = new TestClient(server.url, { 'user-agent': `test-agent ${username}` });
	const res = await client.post('/api/auth/register', { username, password: GOOD_PASSWORD, ...extra });
	expect(res.status, JSON.stringify(res.data)).toBe(201);
	return { client, user: res.data.user as { id: string; username: string; displayName: string } };
}

/** Signs in `username` with the good password on a fresh client. */
export async function signIn(server: TestServer, username: string, password = GOOD_PASSWORD, agent = 'second-device') {
	const client = new TestClient(server.url, { 'user-agent': agent });
	const res = await client.post('/api/auth/login', { username, password });
	return { client, res };
}

/** Turns on 2FA for a signed-in client; returns the secret and recovery codes. */
export async function enableTwoFactor(client: TestClient, clock: TestClock) {
	const setup = await client.post('/api/auth/2fa/setup');
	expect(setup.status).toBe(200);
	const secret = setup.data.secret as string;
	const enable = await client.post('/api/auth/2fa/enable', { code: totpAt(secret, clock.now()) });
	expect(enable.status).toBe(200);
	return { secret, recoveryCodes: enable.data.recoveryCodes as string[] };
}

/** Resolves with the next `sessionsEnded` payload of the server. */
export function nextSessionsEnded(server: TestServer): Promise<string[]> {
	return new Promise((resolve) => server.parley.runtime.events.once('sessionsEnded', ({ sessionIds }) => resolve(sessionIds)));
}

/** Waits until `check` returns a value (no fixed sleeps: polls a condition with a deadline). */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setImmediate(resolve));
	}
}
