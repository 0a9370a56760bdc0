// The embedded default (issue 12): with DATA_DIR and no DATABASE_URL, Parley starts its own
// PostgreSQL in DATA_DIR/pg. Real processes throughout: the built server, its PostgreSQL, kill -9.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearLeftover, isAlive, readPostmasterPid } from '$lib/server/db/embedded/postmaster';
import { startServerProcess, type ServerProcess } from '../../helpers/process.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp } from '../../helpers/users.js';

const MESSAGES = 40;
const isRoot = process.getuid?.() === 0;

async function newDataDir(): Promise<string> {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-embedded-test-'));
	await fs.chmod(dir, 0o755); // as root, the server runs as `postgres`, which must enter it
	return dir;
}

/** The running embedded server of `dataDir`: its lock file, and a connection string with the kept password. */
async function embeddedOf(dataDir: string) {
	const lock = await readPostmasterPid(path.join(dataDir, 'pg'));
	if (!lock) throw new Error('no postmaster.pid');
	const secret = (await fs.readFile(path.join(dataDir, 'pg-password'), 'utf8')).trim();
	return { lock, url: `postgres://postgres:${encodeURIComponent(secret)}@127.0.0.1:${lock.port}/postgres` };
}

async function query<T = Record<string, string>>(url: string, sql: string): Promise<T[]> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return (await client.query(sql)).rows as T[];
	} finally {
		await client.end();
	}
}

/** Processes whose command line names `dir` (a PostgreSQL started on it, or its children). */
async function processesOn(dir: string): Promise<number[]> {
	const found: number[] = [];
	for (const entry of await fs.readdir('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const cmdline = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
		if (cmdline.includes(dir) && (await isAlive(Number(entry)))) found.push(Number(entry));
	}
	return found;
}

async function uidOf(pid: number): Promise<number> {
	return Number(/^Uid:\s+(\d+)/m.exec(await fs.readFile(`/proc/${pid}/status`, 'utf8'))![1]);
}

describe('the embedded default: its own PostgreSQL in DATA_DIR/pg', () => {
	let dataDir: string;
	let server: ServerProcess | undefined;
	const clients: SyncClient[] = [];
	let docName: string;
	let bob: Awaited<ReturnType<typeof signUp>>;
	beforeAll(async () => {
		dataDir = await newDataDir();
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.stop();
		await fs.rm(dataDir, { recursive: true, force: true });
	});
	const seenBy = async (url: string) => {
		const fresh = connectClient({ url, docName, cookie: bob.cookie });
		clients.push(fresh);
		await fresh.synced();
		return messagesOf(fresh.doc).map((m) => String(m.id));
	};

	it('starts a real PostgreSQL 18 that fsyncs, on loopback only, with the password kept in DATA_DIR', async () => {
		server = await startServerProcess({ dataDir }, { capture: true });
		expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'embedded' });
		const { lock, url } = await embeddedOf(dataDir);
		expect(lock.dataDir).toBe(path.join(dataDir, 'pg'));
		const settings = await query(
			url,
			`select name, setting from pg_settings where name in
			('fsync', 'synchronous_commit', 'full_page_writes', 'listen_addresses', 'unix_socket_directories', 'server_version_num')`
		);
		expect(Object.fromEntries(settings.map((s) => [s.name, s.setting]))).toMatchObject({
			fsync: 'on',
			synchronous_commit: 'on',
			full_page_writes: 'on',
			listen_addresses: '127.0.0.1',
			unix_socket_directories: ''
		});
		expect(Number(settings.find((s) => s.name === 'server_version_num')!.setting)).toBeGreaterThanOrEqual(180000);
		expect((await fs.stat(path.join(dataDir, 'pg-password'))).mode & 0o077).toBe(0);
		// Without the password nobody gets in, even on loopback.
		await expect(query(url.replace(/:[^:@]+@/, ':wrong@'), 'select 1')).rejects.toThrow(/password authentication failed/);
		if (isRoot) {
			expect(await uidOf(lock.pid)).not.toBe(0);
			expect(server.output()).toContain('running the embedded PostgreSQL as user postgres');
		}
	});

	it('kill -9 of Parley: the next start stops the server it left running and no committed message is lost', async () => {
		const alice = await signUp(server!.url, 'alice');
		bob = await signUp(server!.url, 'bob');
		({ docName } = await createConversation(alice, { kind: 'group', title: 'Crash', memberIds: [bob.id] }));
		const a = connectClient({ url: server!.url, docName, cookie: alice.cookie });
		const b = connectClient({ url: server!.url, docName, cookie: bob.cookie });
		clients.push(a, b);
		await Promise.all([a.synced(), b.synced()]);
		for (let i = 0; i < MESSAGES; i++)
			a.doc.getArray('messages').push([{ id: `m${i}`, author: alice.id, createdAt: Date.now(), text: `message ${i}` }]);
		// Bob has seen them: the relay passes an update on only after its commit.
		await waitFor(() => messagesOf(b.doc).length === MESSAGES, { what: 'bob sees every message' });
		a.destroy();
		b.destroy();

		const before = (await embeddedOf(dataDir)).lock.pid;
		await server!.kill9();
		// The database outlived Parley: this is the case the next start must handle.
		expect(await isAlive(before)).toBe(true);

		server = await startServerProcess({ dataDir }, { capture: true });
		expect(server.output()).toContain('stopped an embedded PostgreSQL that an earlier Parley left running');
		expect(await isAlive(before)).toBe(false);
		expect((await embeddedOf(dataDir)).lock.pid).not.toBe(before);
		const seen = await seenBy(server.url);
		for (let i = 0; i < MESSAGES; i++) expect(seen).toContain(`m${i}`);
	});

	it('a normal stop leaves no process behind, and a restart finds every message', async () => {
		const postmaster = (await embeddedOf(dataDir)).lock.pid;
		expect(await server!.stop()).toBe(0);
		expect(await isAlive(postmaster)).toBe(false);
		expect(await processesOn(path.join(dataDir, 'pg'))).toEqual([]);
		await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();

		server = await startServerProcess({ dataDir }, { capture: true });
		const seen = await seenBy(server.url);
		expect(seen.filter((id) => /^m\d+$/.test(id)).length).toBe(MESSAGES);
	});

	it('a crash of the database stops Parley with a non-zero exit and a log line; the next start recovers', async () => {
		const { lock } = await embeddedOf(dataDir);
		process.kill(lock.pid, 'SIGKILL');
		expect(await server!.exited).not.toBe(0);
		expect(server!.output()).toContain('the embedded PostgreSQL stopped unexpectedly');

		server = await startServerProcess({ dataDir }, { capture: true });
		const seen = await seenBy(server.url);
		expect(seen.filter((id) => /^m\d+$/.test(id)).length).toBe(MESSAGES);
		expect(await server.stop()).toBe(0);
		server = undefined;
	});
});

describe('the embedded default: refusals and users', () => {
	const dirs: string[] = [];
	afterAll(async () => {
		for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
	});

	it('refuses a data directory made by PGlite, with a message that says what to do', async () => {
		const dataDir = await newDataDir();
		dirs.push(dataDir);
		await fs.mkdir(path.join(dataDir, 'db'));
		await fs.writeFile(path.join(dataDir, 'db', 'PG_VERSION'), '17\n');
		const child = spawn(process.execPath, [path.resolve('server/serve.js')], {
			env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const code = await new Promise((resolve) => child.once('exit', resolve));
		expect(code).toBe(1);
		expect(output).toMatch(/Parley cannot start: .*db holds a database made by PGlite.*Move that directory away/);
		// Nothing was started or created beside it.
		await expect(fs.access(path.join(dataDir, 'pg'))).rejects.toThrow();
	});

	it('a stale lock file naming a pid that is now another program: removed, and that program left alone', async () => {
		const dir = await newDataDir();
		dirs.push(dir);
		const lockFile = path.join(dir, 'postmaster.pid');
		// This test's own process stands for "some other program that got the pid".
		await fs.writeFile(lockFile, `${process.pid}\n${dir}\n0\n5999\n\n127.0.0.1\n0 0\nready\n`);
		expect(await clearLeftover(dir, { stopTimeoutMs: 1000 })).toBeNull();
		await expect(fs.access(lockFile)).rejects.toThrow();
		expect(await isAlive(process.pid)).toBe(true);
	});

	it('runs as a normal user too (here: as the postgres user, when the test runs as root)', async () => {
		const dataDir = await newDataDir();
		dirs.push(dataDir);
		let user: { uid: number; gid: number } | undefined;
		if (isRoot) {
			const postgres = await fs
				.readFile('/etc/passwd', 'utf8')
				.then((text) => text.split('\n').find((line) => line.startsWith('postgres:')));
			if (!postgres) throw new Error('no postgres user: the root path of the previous tests creates it');
			const [, , uid, gid] = postgres.split(':');
			user = { uid: Number(uid), gid: Number(gid) };
			await fs.chown(dataDir, user.uid, user.gid);
		}
		const server = await startServerProcess({ dataDir }, { capture: true, user });
		try {
			const { lock } = await embeddedOf(dataDir);
			expect(await uidOf(lock.pid)).toBe(user?.uid ?? process.getuid!());
			expect(server.output()).not.toContain('as user postgres');
			expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'embedded' });
		} finally {
			expect(await server.stop()).toBe(0);
		}
	});
});
