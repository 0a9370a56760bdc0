// `npm run demo`: the SPEC §8 accounts (an admin; passwords below the policy, marked demo), the
// demo conversations (direct, group, a channel with a pinned post), idempotent; the command
// finishes by itself while a server runs; no browser session may call it.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { connectClient, waitFor, type SyncClient } from '../../helpers/sync.js';
import { startAdminServer } from './helpers.js';

/** Runs a command to its end; resolves with its exit code and output. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('exit', (code) => resolve({ code, out }));
	});
}

describe(`npm run demo (${testDatabaseKind()})`, () => {
	let server: TestServer & { dataDir: string };
	const clients: SyncClient[] = [];
	beforeAll(async () => {
		server = await startAdminServer();
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.close();
		await fs.rm(server?.dataDir ?? '/nonexistent', { recursive: true, force: true });
	});

	it('refuses browser sessions and callers without the control token', async () => {
		const anon = await new TestClient(server.url).post('/api/admin/demo');
		expect(anon.status).toBe(401);
		const wrong = await new TestClient(server.url, { authorization: 'Bearer nope' }).post('/api/admin/demo');
		expect(wrong.status).toBe(401);
		expect(await server.db.query('select 1 from users')).toHaveLength(0);
	});

	it('finishes by itself against the running server and prints the accounts loudly', async () => {
		const control = JSON.parse(await fs.readFile(path.join(server.dataDir, '.parley-control.json'), 'utf8'));
		expect(control.url).toBe(server.url);
		const { code, out } = await run([path.resolve('scripts/demo.js')], { DATA_DIR: server.dataDir });
		expect(code, out).toBe(0);
		expect(out).toContain('DEMO MODE');
		expect(out).toMatch(/admin\s+\/ admin123/);
		expect(out).toContain('Conversations added: 4');
	});

	it('made the SPEC accounts (admin is an admin), marked demo, with conversations and a pinned channel post', async () => {
		const admin = new TestClient(server.url);
		const signedIn = await admin.post('/api/auth/login', { username: 'admin', password: 'admin123' });
		expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
		for (const name of ['user1', 'user2'])
			expect((await new TestClient(server.url).post('/api/auth/login', { username: name, password: '123456' })).status).toBe(200);
		const stats = (await admin.get('/api/admin/stats')).data;
		expect(stats.users).toMatchObject({ total: 3, demoAccounts: true });
		expect(stats.conversations).toEqual({ direct: 2, group: 1, channel: 1, total: 4 });
		expect(stats.messages.total).toBe(11);
		const list = (await admin.get('/api/conversations')).data.conversations as { kind: string; docName: string; title: string }[];
		const channel = list.find((c) => c.kind === 'channel')!;
		const client = connectClient({ url: server.url, docName: channel.docName, cookie: admin.cookieHeader() });
		clients.push(client);
		await client.synced();
		const posts = client.doc
			.getArray<{ id: string; text: string; kind?: string }>('messages')
			.toArray()
			.filter((m) => m.kind !== 'system');
		expect(posts).toHaveLength(2);
		await waitFor(() => client.doc.getMap('pins').size === 1, { what: 'pin' });
		expect([...client.doc.getMap('pins').keys()]).toEqual([posts[0]!.id]);
	});

	it('adds nothing the second time', async () => {
		const { code, out } = await run([path.resolve('scripts/demo.js')], { DATA_DIR: server.dataDir });
		expect(code, out).toBe(0);
		expect(out).toContain('already there');
		expect(out).toContain('Conversations added: 0');
		expect(await server.db.query('select 1 from conversations')).toHaveLength(4);
	});
});
