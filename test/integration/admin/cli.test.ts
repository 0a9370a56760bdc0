// `npm run backup -- --out FILE` and `npm run restore -- FILE [--force]` as built (build/process/ops.js):
// backup while the server runs (embedded: the server makes it; PostgreSQL: a direct snapshot),
// restore refused while it runs (embedded) or into a non-empty target, then done with --force.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../helpers/database.js';
import type { TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { signUp, createConversation, type TestUser } from '../../helpers/users.js';
import type { SyncClient } from '../../helpers/sync.js';
import { sendMessage, startAdminServer } from './helpers.js';

const OPS = path.resolve('build/process/ops.js');

/** Runs one command of ops.js in a child process, with the server's configuration in its environment. */
function command(
	name: 'backupCommand' | 'restoreCommand',
	args: string[],
	env: Record<string, string>
): Promise<{ code: number | null; out: string }> {
	const script = `import(${JSON.stringify(OPS)}).then(async (m) => process.exit(await m.${name}(${JSON.stringify(args)}, process.env)))`;
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['-e', script], {
			env: { ...process.env, LOG_LEVEL: 'silent', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('exit', (code) => resolve({ code, out }));
	});
}

describe(`backup and restore commands (${testDatabaseKind()})`, () => {
	let server: TestServer & { dataDir: string };
	let env: Record<string, string>;
	let owner: TestUser;
	const clients: SyncClient[] = [];
	let dir: string;

	beforeAll(async () => {
		server = await startAdminServer();
		env = {
			DATA_DIR: server.dataDir,
			...(server.database.location.databaseUrl ? { DATABASE_URL: server.database.location.databaseUrl } : {})
		};
		owner = await signUp(server.url, 'owner');
		const other = await signUp(server.url, 'other');
		const chat = await createConversation(owner, { kind: 'direct', userId: other.id });
		await sendMessage(server, owner, chat.docName, 'kept by the command line', clients);
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-cli-'));
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.close();
		for (const d of [dir, server?.dataDir]) if (d) await fs.rm(d, { recursive: true, force: true });
	});

	it('backs up while the server runs, and restore then refuses a running (embedded) or non-empty target', async () => {
		const file = path.join(dir, 'cli.parley-backup.gz');
		const made = await command('backupCommand', ['--out', file], env);
		expect(made.code, made.out).toBe(0);
		expect(made.out).toContain(`Backup written to ${file}`);
		expect((await fs.stat(file)).size).toBeGreaterThan(100);
		await server.stop();
		const refused = await command('restoreCommand', [file], env);
		expect(refused.code, refused.out).toBe(1);
		expect(refused.out).toMatch(/Restore refused: The target is not empty .*--force.*Nothing was changed/);
		const usage = await command('restoreCommand', [], env);
		expect(usage.code).toBe(2);
		const junk = path.join(dir, 'junk');
		await fs.writeFile(junk, 'not an archive');
		const foreign = await command('restoreCommand', [junk, '--force'], env);
		expect(foreign.code).toBe(1);
		expect(foreign.out).toContain('not a Parley backup archive');
		const done = await command('restoreCommand', [file, '--force'], env);
		expect(done.code, done.out).toBe(0);
		expect(done.out).toMatch(/Restored \d+ rows/);
		server = Object.assign(await server.restart(), { dataDir: server.dataDir });
		const me = await new TestClient(server.url, { cookie: owner.cookie }).get('/api/me');
		expect(me.status).toBe(200);
		const rows = await server.db.query<{ text: string }>(`select text from messages where kind <> 'system'`);
		expect(rows.map((r) => r.text)).toEqual(['kept by the command line']);
	});
});
