// Issue 8 item 9 (input): names must show a visible character; bidi overrides and isolates are
// refused in names, aliases, titles and descriptions; other control characters are refused too
// (descriptions may hold line breaks). Each refusal is a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../helpers/database.js';
import { TestClient } from '../../helpers/http.js';
import type { TestServer } from '../../helpers/server.js';
import { createConversation, type TestUser } from '../../helpers/users.js';
import { expectError, startServer, users } from '../conversations/helpers.js';

const PASSWORD = 'correct horse battery staple';
/** Text that shows nothing: zero-width space, joiner, word joiner, Hangul filler. */
const INVISIBLE = ['\u200B\u200B', '\u200D', '\u2060 \u200B', '\u3164', ' \u00AD '];
/** "evil" + RIGHT-TO-LEFT OVERRIDE + "gnp.exe" reads "evilexe.png"; and the isolates. */
const BIDI = ['evil\u202Egnp.exe', 'a\u2066b\u2069', 'x\u202Ay'];

describe(`text rules (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;
	let bob: TestUser;
	let groupId: string;
	beforeAll(async () => {
		server = await startServer();
		[alice, bob] = await users(server, 'alice', 'bob');
		groupId = (await createConversation(alice, { kind: 'group', title: 'Group' })).id;
	});
	afterAll(() => server?.close());

	it('display names must contain a visible character (register, profile)', async () => {
		for (const name of INVISIBLE) {
			const res = await new TestClient(server.url).post('/api/auth/register', { username: 'ghost', password: PASSWORD, displayName: name });
			expectError(res, 400, 'invalid_input', 'displayName');
			expectError(await alice.client.patch('/api/me', { displayName: name }), 400, 'invalid_input', 'displayName');
		}
		// A name with a joiner between visible letters is fine.
		expect((await alice.client.patch('/api/me', { displayName: 'Ali\u200Dce' })).status).toBe(200);
	});

	it('bidi overrides are refused in names, aliases, titles and descriptions', async () => {
		for (const text of BIDI) {
			expectError(await alice.client.patch('/api/me', { displayName: text }), 400, 'invalid_input', 'displayName');
			expectError(await alice.client.post('/api/contacts', { userId: bob.id, alias: text }), 400, 'invalid_input', 'alias');
			expectError(await alice.client.post('/api/conversations', { kind: 'group', title: text }), 400, 'invalid_input', 'title');
			expectError(await alice.client.patch(`/api/conversations/${groupId}`, { title: text }), 400, 'invalid_input', 'title');
			expectError(await alice.client.patch(`/api/conversations/${groupId}`, { description: text }), 400, 'invalid_input', 'description');
			expectError(
				await alice.client.post('/api/conversations', { kind: 'channel', title: 'C', description: text }),
				400,
				'invalid_input',
				'description'
			);
		}
	});

	it('aliases and titles must show something; control characters are refused', async () => {
		expectError(await alice.client.post('/api/contacts', { userId: bob.id, alias: '\u200B' }), 400, 'invalid_input', 'alias');
		expectError(await alice.client.post('/api/conversations', { kind: 'group', title: '\u200B\u200C' }), 400, 'invalid_input', 'title');
		expectError(await alice.client.patch(`/api/conversations/${groupId}`, { title: 'bell\u0007' }), 400, 'invalid_input', 'title');
		expectError(await alice.client.patch('/api/me', { displayName: 'esc\u001b[31m' }), 400, 'invalid_input', 'displayName');
		expectError(
			await alice.client.patch(`/api/conversations/${groupId}`, { description: 'del\u007f' }),
			400,
			'invalid_input',
			'description'
		);
	});

	it('descriptions keep line breaks; an empty alias clears it', async () => {
		const res = await alice.client.patch(`/api/conversations/${groupId}`, { description: 'line one\nline two\ttabbed' });
		expect(res.status, JSON.stringify(res.data)).toBe(200);
		expect(res.data.conversation.description).toBe('line one\nline two\ttabbed');
		expect((await alice.client.post('/api/contacts', { userId: bob.id, alias: 'Bobby' })).status).toBe(201);
		const cleared = await alice.client.patch(`/api/contacts/${bob.id}`, { alias: '' });
		expect(cleared.status, JSON.stringify(cleared.data)).toBe(200);
	});

	it('the profile page refuses an invisible display name with the field named', async () => {
		const res = await alice.client.request('POST', '/settings/profile?/profile', {
			body: new URLSearchParams({ displayName: '\u200B', username: alice.username }),
			headers: { origin: server.origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
		});
		expect(res.data.type).toBe('failure');
		expect(res.data.status).toBe(400);
		expect(res.data.data).toContain('displayName');
	});
});
