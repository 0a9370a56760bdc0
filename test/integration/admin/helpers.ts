// Shared steps of the admin tests: a server with its own DATA_DIR (uploads, backups), an admin
// (the first account), members, and messages written by stock y-websocket clients.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, type Limits } from '$lib/server/config';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, waitFor, type SyncClient } from '../../helpers/sync.js';
import type { TestUser } from '../../helpers/users.js';

/** A server with roomy sign-up limits and a DATA_DIR of its own (uploads, backups, the control file). */
export async function startAdminServer(
	options: { database?: TestDatabase; dataDir?: string; limits?: Partial<Limits> } = {}
): Promise<TestServer & { dataDir: string }> {
	const database = options.database ?? (await createTestDatabase());
	const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'parley-admin-')));
	const server = await startTestServer({
		database,
		env: { DATA_DIR: dataDir },
		overrides: { limits: { ...DEFAULT_LIMITS, rateRegisterAddressMax: 1000, ...options.limits } }
	});
	return Object.assign(server, { dataDir });
}

/** Writes one message as `user` through a stock client and waits until the server stored it. */
export async function sendMessage(
	server: TestServer,
	user: TestUser,
	docName: string,
	text: string,
	clients: SyncClient[]
): Promise<string> {
	const client = connectClient({ url: server.url, docName, cookie: user.cookie });
	clients.push(client);
	await client.synced();
	const id = `m${Math.random().toString(36).slice(2, 12)}`;
	client.doc.getArray('messages').push([{ id, author: user.id, createdAt: Date.now(), text }]);
	await waitFor(async () => (await server.db.query('select 1 from messages where id = $1', [id])).length === 1, {
		what: `message ${id} stored`
	});
	return id;
}
