// Shared steps of the conversation tests: a server with roomy sign-up limits, users, error checks.
import { expect } from 'vitest';
import { DEFAULT_LIMITS, type Limits } from '$lib/server/config';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { signUp, type TestUser } from '../../helpers/users.js';
import { upgradeStatus as upgradeWith } from '../../helpers/sync.js';

/** Starts a server whose limits suit these tests (many sign-ups from one address; small groups). */
export function startServer(limits: Partial<Limits> = {}): Promise<TestServer> {
	return startTestServer({ overrides: { limits: { ...DEFAULT_LIMITS, rateRegisterAddressMax: 1000, ...limits } } });
}

/** Registers users with these names (in order); one TestUser per name. */
export async function users<const N extends readonly string[]>(server: TestServer, ...names: N): Promise<{ [K in keyof N]: TestUser }> {
	const made: TestUser[] = [];
	for (const name of names) made.push(await signUp(server.url, name));
	return made as { [K in keyof N]: TestUser };
}

/**
 * Asserts a SPEC §3 error answer: the status, `{error: {code, message, field?}}`, and optionally the
 * code and the field at fault (`error.field`; errors raised where no field is recorded name it at
 * the start of the message).
 */
export function expectError(res: { status: number; data: any }, status: number, code?: string, field?: string): void {
	expect(res.status, JSON.stringify(res.data)).toBe(status);
	const shape = { code: expect.any(String), message: expect.any(String) };
	expect(res.data).toEqual({ error: 'field' in (res.data?.error ?? {}) ? { ...shape, field: expect.any(String) } : shape });
	if (code) expect(res.data.error.code).toBe(code);
	if (field) {
		expect(res.data.error.message.startsWith(`${field}:`), res.data.error.message).toBe(true);
		if ('field' in res.data.error) expect(res.data.error.field).toBe(field);
	}
}

/** Tries a WebSocket upgrade with a session cookie; the HTTP status it was answered with (101 when it opened). */
export const upgradeStatus = (url: string, cookie: string) => upgradeWith(url, { cookie });

/** The sync URL of a document. */
export const syncUrl = (server: TestServer, docName: string) => `${server.url.replace(/^http/, 'ws')}/sync/${docName}`;
