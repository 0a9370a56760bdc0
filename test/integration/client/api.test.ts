// The client's typed API against the real server: answers parsed, SPEC's error shape read into
// ApiError (status, code), and "no answer at all" told apart as status 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApi, createHttp } from '$lib/client/api';
import { testDatabaseKind } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { signUp, type TestUser } from '../../helpers/users.js';
import { fetchAs } from './helpers.js';

describe(`client API (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;
	let bob: TestUser;

	beforeAll(async () => {
		server = await startTestServer();
		[alice, bob] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob')];
	});
	afterAll(async () => {
		await server?.close();
	});

	const apiOf = (user: TestUser) => createApi(createHttp({ origin: server.url, fetch: fetchAs(user, server) }));

	it('reads me, searches people, opens the same direct conversation twice, lists it, checks a read marker', async () => {
		const api = apiOf(alice);
		const me = await api.me();
		expect(me.user.id).toBe(alice.id);
		expect(me.inboxDocName).toBe(`inbox.${alice.id}`);
		const found = await api.searchUsers(bob.username);
		expect(found.map((u) => u.id)).toContain(bob.id);
		const direct = await api.openDirect(bob.id);
		expect((await api.openDirect(bob.id)).id).toBe(direct.id);
		expect(direct.other?.id).toBe(bob.id);
		expect((await api.conversations()).map((c) => c.id)).toContain(direct.id);
		expect((await api.conversation(direct.id)).kind).toBe('direct');
		// the private read route checks the message belongs to the conversation
		const unknown = await api.markRead(direct.id, 'no-such-message').catch((e: unknown) => e);
		expect([(unknown as ApiError).status, (unknown as ApiError).code]).toEqual([400, 'invalid_input']);
		expect((await api.privacy()).readReceipts).toBe(true);
	});

	it('errors carry the status and code of SPEC’s error shape', async () => {
		const api = apiOf(alice);
		const invalid = await api.searchUsers('').catch((e: unknown) => e);
		expect(invalid).toBeInstanceOf(ApiError);
		expect([(invalid as ApiError).status, (invalid as ApiError).code, (invalid as ApiError).unreachable]).toEqual([
			400,
			'invalid_input',
			false
		]);
		const missing = await api.conversation('aaaaaaaaaaaaaaaaaaaaaaaa').catch((e: unknown) => e);
		expect([(missing as ApiError).status, (missing as ApiError).code]).toEqual([404, 'not_found']);
		const anonymous = createApi(createHttp({ origin: server.url }));
		const noSession = await anonymous.me().catch((e: unknown) => e);
		expect((noSession as ApiError).status).toBe(401);
		expect(typeof (noSession as ApiError).code).toBe('string');
	});

	it('a server that does not answer is status 0 ("unreachable"), not an error code', async () => {
		const gone = createApi(createHttp({ origin: 'http://127.0.0.1:9' }));
		const error = await gone.me().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ApiError);
		expect([(error as ApiError).status, (error as ApiError).unreachable]).toEqual([0, true]);
	});

	it('logout ends the session: the next call is 401', async () => {
		const carol = await signUp(server.url, 'carol');
		const api = apiOf(carol);
		await api.logout();
		expect(((await api.me().catch((e: unknown) => e)) as ApiError).status).toBe(401);
	});
});
