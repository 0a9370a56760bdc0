// Who opens at boot (issue 9: "sign out and in as someone else on the same browser and see none
// of the first person's data"; "boots with no network"): resolveUser against the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createHttp } from '$lib/client/api';
import { resolveUser } from '$lib/client/sync/boot';
import { testDatabaseKind } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { signUp, type TestUser } from '../../helpers/users.js';
import { MemoryDeviceStorage, fetchAs, openSession } from './helpers.js';

describe(`boot (${testDatabaseKind()})`, () => {
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

	/** A browser where alice used the app: her profile cached, a draft and an outbox record stored. */
	async function aliceWasHere(): Promise<MemoryDeviceStorage> {
		const storage = new MemoryDeviceStorage();
		const session = await openSession(server, alice, storage, { online: false });
		session.drafts.set('somechat', 'a private draft');
		await session.flush();
		session.destroy();
		expect(storage.users.has(alice.id)).toBe(true);
		return storage;
	}
	const apiAs = (user: TestUser | null) => createApi(createHttp({ origin: server.url, fetch: user ? fetchAs(user, server) : undefined }));

	it('someone else signed in on this browser: the cached user is wiped before the new one opens', async () => {
		const storage = await aliceWasHere();
		const found = await resolveUser(storage, apiAs(bob));
		expect(found).toMatchObject({ me: { id: bob.id }, offline: false });
		expect(storage.users.has(alice.id)).toBe(false);
		expect(await storage.lastUser()).toBeUndefined();
	});

	it('the cached user was signed out meanwhile (401): wiped, and the app goes to sign-in', async () => {
		const storage = await aliceWasHere();
		expect(await resolveUser(storage, apiAs(null))).toEqual({ signedOut: true });
		expect(storage.users.has(alice.id)).toBe(false);
	});

	it('no network: the cached user opens from the device, data intact', async () => {
		const storage = await aliceWasHere();
		const unreachable = createApi(createHttp({ origin: 'http://127.0.0.1:9' }));
		const found = await resolveUser(storage, unreachable);
		expect(found).toMatchObject({ me: { id: alice.id }, offline: true });
		const session = await openSession(server, alice, storage, { online: false });
		expect(session.drafts.get('somechat')).toBe('a private draft');
		session.destroy();
	});

	it('nobody cached and no network: sign-in', async () => {
		const unreachable = createApi(createHttp({ origin: 'http://127.0.0.1:9' }));
		expect(await resolveUser(new MemoryDeviceStorage(), unreachable)).toEqual({ signedOut: true });
	});
});
