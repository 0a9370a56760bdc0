// Issue 8 item 7: NUL (and other control characters) in any parameter of any route answers 400
// naming the parameter, never 500. Walks the routes with NUL in each path part, query value and
// body field, and the page form actions with NUL in their fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'devalue';
import { testDatabaseKind } from '../../helpers/database.js';
import { TestClient } from '../../helpers/http.js';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { createConversation } from '../../helpers/users.js';
import { startServer, users } from '../conversations/helpers.js';

const NUL = '\u0000';
const PASSWORD = 'correct horse battery staple';

/** One request with NUL somewhere, and the field the 400 must name. */
interface Case {
	method: string;
	path: string;
	json?: Record<string, unknown>;
	field: string;
}

describe(`NUL in every parameter answers 400 (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;
	let bob: TestUser;
	let conversationId: string;
	beforeAll(async () => {
		server = await startServer();
		// The first account is the admin: the admin routes are walked too.
		[alice, bob] = await users(server, 'alice', 'bob');
		conversationId = (await createConversation(alice, { kind: 'group', title: 'Walk', memberIds: [bob.id] })).id;
	});
	afterAll(() => server?.close());

	const cases = (): Case[] => {
		const c = conversationId;
		return [
			// Path parameters.
			{ method: 'GET', path: '/api/users/%00', field: 'id' },
			{ method: 'GET', path: `/api/users/${bob.id}%00`, field: 'id' },
			{ method: 'DELETE', path: '/api/sessions/%00', field: 'id' },
			{ method: 'GET', path: '/api/conversations/%00', field: 'id' },
			{ method: 'POST', path: '/api/conversations/%00/read', json: { messageId: 'm' }, field: 'id' },
			{ method: 'DELETE', path: `/api/conversations/${c}/members/%00`, field: 'userId' },
			{ method: 'PATCH', path: '/api/contacts/%00', json: { alias: 'x' }, field: 'userId' },
			{ method: 'DELETE', path: '/api/contacts/block/%00', field: 'userId' },
			{ method: 'GET', path: '/api/invites/%00', field: 'token' },
			{ method: 'GET', path: '/api/avatars/%00', field: 'id' },
			{ method: 'DELETE', path: '/api/admin/invites/%00', field: 'id' },
			{ method: 'POST', path: '/api/admin/users/%00/reset-link', field: 'id' },
			{ method: 'GET', path: '/api/no-such-route/%00', field: 'rest' },
			// Query values.
			{ method: 'GET', path: '/api/users?q=%00', field: 'q' },
			{ method: 'GET', path: '/api/users?q=ali%00ce', field: 'q' },
			{ method: 'GET', path: '/api/channels?q=%00', field: 'q' },
			{ method: 'GET', path: `/api/conversations/${c}/members?limit=%00`, field: 'limit' },
			// Body fields.
			{ method: 'POST', path: '/api/auth/login', json: { username: `alice${NUL}`, password: PASSWORD }, field: 'username' },
			{ method: 'POST', path: '/api/auth/login', json: { username: alice.username, password: `x${NUL}y` }, field: 'password' },
			{ method: 'POST', path: '/api/auth/register', json: { username: `n${NUL}ew`, password: PASSWORD }, field: 'username' },
			{
				method: 'POST',
				path: '/api/auth/register',
				json: { username: 'newcomer', password: PASSWORD, displayName: `N${NUL}` },
				field: 'displayName'
			},
			{
				method: 'POST',
				path: '/api/auth/register',
				json: { username: 'newcomer', password: PASSWORD, email: `a${NUL}@b.c` },
				field: 'email'
			},
			{ method: 'POST', path: '/api/auth/register', json: { username: 'newcomer', password: PASSWORD, invite: NUL }, field: 'invite' },
			{ method: 'POST', path: '/api/auth/reset/request', json: { login: NUL }, field: 'login' },
			{ method: 'POST', path: '/api/auth/reset/confirm', json: { token: NUL, password: PASSWORD }, field: 'token' },
			{
				method: 'POST',
				path: '/api/auth/reset/confirm',
				json: { token: 'abcdefghijklmnop', password: `${PASSWORD}${NUL}` },
				field: 'password'
			},
			{ method: 'POST', path: '/api/auth/2fa/verify', json: { code: `123456${NUL}` }, field: 'code' },
			{ method: 'POST', path: '/api/auth/2fa/enable', json: { code: `123456${NUL}` }, field: 'code' },
			{ method: 'POST', path: '/api/auth/2fa/disable', json: { password: NUL }, field: 'password' },
			{ method: 'POST', path: '/api/auth/password', json: { currentPassword: NUL, newPassword: PASSWORD }, field: 'currentPassword' },
			{ method: 'PATCH', path: '/api/me', json: { displayName: `A${NUL}` }, field: 'displayName' },
			{ method: 'PATCH', path: '/api/me/privacy', json: { lastSeenVisibleTo: NUL }, field: 'lastSeenVisibleTo' },
			{ method: 'POST', path: '/api/contacts', json: { username: `bob${NUL}` }, field: 'username' },
			{ method: 'POST', path: '/api/contacts', json: { userId: bob.id, alias: `B${NUL}` }, field: 'alias' },
			{ method: 'PATCH', path: `/api/contacts/${bob.id}`, json: { alias: NUL }, field: 'alias' },
			{ method: 'POST', path: '/api/contacts/block', json: { userId: NUL }, field: 'userId' },
			{ method: 'POST', path: '/api/conversations', json: { kind: 'direct', userId: `${bob.id}${NUL}` }, field: 'userId' },
			{ method: 'POST', path: '/api/conversations', json: { kind: 'group', title: `T${NUL}` }, field: 'title' },
			{ method: 'POST', path: '/api/conversations', json: { kind: 'channel', title: 'T', description: `D${NUL}` }, field: 'description' },
			{ method: 'POST', path: '/api/conversations', json: { kind: 'group', title: 'T', memberIds: [NUL] }, field: 'memberIds.0' },
			{ method: 'PATCH', path: `/api/conversations/${c}`, json: { title: NUL }, field: 'title' },
			{ method: 'POST', path: `/api/conversations/${c}/read`, json: { messageId: `m${NUL}` }, field: 'messageId' },
			{ method: 'POST', path: `/api/conversations/${c}/members`, json: { userId: NUL }, field: 'userId' },
			{ method: 'PATCH', path: `/api/conversations/${c}/members/${bob.id}`, json: { role: NUL }, field: 'role' },
			{ method: 'PATCH', path: `/api/conversations/${c}/settings`, json: { muted: NUL }, field: 'muted' }
		];
	};

	it('API routes: path, query and body', async () => {
		const failures: string[] = [];
		for (const { method, path, json, field } of cases()) {
			const res = await alice.client.request(method, path, json ? { json } : {});
			const ok =
				res.status === 400 &&
				res.data?.error?.code === 'invalid_input' &&
				res.data.error.field === field &&
				res.data.error.message.startsWith(`${field}:`);
			if (!ok) failures.push(`${method} ${path} ${JSON.stringify(json ?? {})} → ${res.status} ${res.text.slice(0, 160)}`);
		}
		expect(failures).toEqual([]);
	});

	/** Posts a form action the way `use:enhance` does; the action's answer (type, status, data). */
	async function action(path: string, fields: Record<string, string>, client = alice.client) {
		const res = await client.request('POST', path, {
			body: new URLSearchParams(fields),
			headers: { origin: server.origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
		});
		return { status: res.status, result: res.data as { type: string; status: number; data: string } };
	}

	it('page form actions: every field', async () => {
		const forms: Array<[path: string, fields: Record<string, string>, field: string]> = [
			['/login', { username: `alice${NUL}`, password: PASSWORD }, 'username'],
			['/register', { username: 'newcomer', password: PASSWORD, displayName: `N${NUL}` }, 'displayName'],
			['/forgot-password', { login: `x${NUL}` }, 'login'],
			['/reset-password?token=abcdefghijklmnop', { password: `${PASSWORD}${NUL}` }, 'password'],
			['/settings/profile?/profile', { displayName: `A${NUL}`, username: alice.username }, 'displayName'],
			['/settings/security?/revoke', { id: NUL }, 'id'],
			['/settings/security?/password', { currentPassword: NUL, newPassword: PASSWORD }, 'currentPassword'],
			['/settings/admin?/deleteInvite', { id: NUL }, 'id'],
			['/settings/admin?/resetLink', { userId: `${bob.id}${NUL}` }, 'userId']
		];
		const failures: string[] = [];
		for (const [path, fields, field] of forms) {
			// The sign-in and sign-up pages are for people signed out.
			const client = path === '/login' || path === '/register' ? new TestClient(server.url) : alice.client;
			const { result } = await action(path, fields, client);
			const data = result?.data ? (parse(result.data) as { field?: string; code?: string }) : undefined;
			if (result?.type !== 'failure' || result.status !== 400 || data?.field !== field || data?.code !== 'invalid_input')
				failures.push(`${path} → ${JSON.stringify(result)}`);
		}
		expect(failures).toEqual([]);
	});

	it('page addresses: NUL in a query or path answers 400, not 500', async () => {
		for (const path of ['/register?invite=%00', '/reset-password?token=%00', '/login?x=%00']) {
			const res = await alice.client.get(path);
			expect(res.status, path).toBe(400);
		}
	});
});
