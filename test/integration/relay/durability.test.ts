// Durable before visible: kill -9 right after clients have seen a burst loses none of it, and
// clients that stay connected through the crash and restart converge with the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../helpers/database.js';
import { startServerProcess, type ServerProcess } from '../../helpers/process.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';

const BURST = 60;

describe(`relay durability under kill -9 (${testDatabaseKind()})`, () => {
	let database: TestDatabase;
	let server: ServerProcess;
	const clients: SyncClient[] = [];
	beforeAll(async () => {
		database = await createTestDatabase();
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.stop();
		await database?.destroy();
	});

	it('[G1] loses nothing a client has seen, and everyone converges after the restart', async () => {
		server = await startServerProcess(database);
		const alice: TestUser = await signUp(server.url, 'alice');
		const bob: TestUser = await signUp(server.url, 'bob');
		const { docName } = await createConversation(alice, { kind: 'group', title: 'Crash', memberIds: [bob.id] });
		const a = connectClient({ url: server.url, docName, cookie: alice.cookie });
		const b = connectClient({ url: server.url, docName, cookie: bob.cookie });
		clients.push(a, b);
		await Promise.all([a.synced(), b.synced()]);

		// A burst of separate writes, as a person typing fast (each its own update frame).
		for (let i = 0; i < BURST; i++)
			a.doc.getArray('messages').push([{ id: `m${i}`, author: alice.id, createdAt: Date.now(), text: `burst ${i}` }]);
		await waitFor(() => messagesOf(b.doc).length === BURST, { what: 'bob sees the whole burst' });
		await server.kill9();

		// While the server is down, both keep writing offline.
		a.doc.getArray('messages').push([{ id: 'offline-a', author: alice.id, createdAt: Date.now(), text: 'written offline' }]);
		b.doc.getArray('messages').push([{ id: 'offline-b', author: bob.id, createdAt: Date.now(), text: 'me too' }]);

		server = await startServerProcess(database, { port: server.port });
		// A fresh client sees everything bob had seen before the crash.
		const fresh = connectClient({ url: server.url, docName, cookie: bob.cookie });
		clients.push(fresh);
		await fresh.synced();
		const seen = messagesOf(fresh.doc).map((m) => m.id);
		for (let i = 0; i < BURST; i++) expect(seen).toContain(`m${i}`);

		// The clients that stayed up reconnect by themselves and converge with the server.
		const ids = (doc: SyncClient) =>
			messagesOf(doc.doc)
				.map((m) => m.id)
				.sort();
		await waitFor(() => ids(a).length === BURST + 2 && ids(b).length === BURST + 2 && ids(fresh).length === BURST + 2, {
			timeoutMs: 20_000,
			what: 'convergence after restart'
		});
		expect(ids(a)).toEqual(ids(b));
		expect(ids(fresh)).toEqual(ids(a));
		expect(a.denied).toEqual([]);
		expect(b.denied).toEqual([]);
	});
});
