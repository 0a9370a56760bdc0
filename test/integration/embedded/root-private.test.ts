// Issue 21 item 17: run as root from a folder the `postgres` user cannot enter (a 0700 home, a
// `mktemp -d` clone). Before: "the embedded PostgreSQL runs as "postgres" …, which cannot enter
// <folder>" (and initdb's "Permission denied" for the programs in node_modules), unless every
// folder above was opened up. Now: Parley keeps private copies (programs, and the cluster with a
// link from DATA_DIR/pg) under a folder it creates, and the folders above stay as they were.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { embeddedBinaries } from '$lib/server/db/embedded/binaries';
import { startEmbeddedPostgres } from '$lib/server/db/embedded/server';

const isRoot = process.getuid?.() === 0;

describe.runIf(isRoot)('the embedded PostgreSQL run as root from a 0700 folder', () => {
	let closed: string; // the mktemp -d folder (0700), holding "node_modules" and DATA_DIR
	let privateRoot: string;

	beforeAll(async () => {
		closed = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-0700-'));
		expect((await fs.stat(closed)).mode & 0o777).toBe(0o700);
		// The programs as a clone in that folder has them (node_modules inside it).
		const native = path.dirname(path.dirname(embeddedBinaries().postgres));
		await fs.cp(native, path.join(closed, 'native'), { recursive: true, verbatimSymlinks: true });
		privateRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-private-'));
	}, 120_000);
	afterAll(async () => {
		await fs.rm(closed, { recursive: true, force: true });
		await fs.rm(privateRoot, { recursive: true, force: true });
	});

	const start = () =>
		startEmbeddedPostgres({
			dir: path.join(closed, 'data', 'pg'),
			passwordFile: path.join(closed, 'data', 'pg-password'),
			log: pino({ level: 'silent' }),
			startTimeoutMs: DEFAULT_LIMITS.embeddedStartTimeoutMs,
			stopTimeoutMs: DEFAULT_LIMITS.embeddedStopTimeoutMs,
			binaries: { initdb: path.join(closed, 'native', 'bin', 'initdb'), postgres: path.join(closed, 'native', 'bin', 'postgres') },
			privateRoot
		});

	async function query(url: string, sql: string) {
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		try {
			return (await client.query(sql)).rows;
		} finally {
			await client.end();
		}
	}

	it('starts, keeps its data across a restart, and changes no permission above DATA_DIR', async () => {
		const first = await start();
		try {
			await query(first.url, 'create table kept (v int); insert into kept values (42)');
		} finally {
			await first.stop();
		}
		const second = await start();
		try {
			expect(await query(second.url, 'select v from kept')).toEqual([{ v: 42 }]);
		} finally {
			await second.stop();
		}
		expect((await fs.stat(closed)).mode & 0o777).toBe(0o700);
		const link = await fs.lstat(path.join(closed, 'data', 'pg'));
		expect(link.isSymbolicLink()).toBe(true);
		expect(await fs.readlink(path.join(closed, 'data', 'pg'))).toMatch(new RegExp(`^${privateRoot}/data-[0-9a-f]{16}/pg$`));
		// The password stays in DATA_DIR, readable by Parley's user only.
		expect((await fs.stat(path.join(closed, 'data', 'pg-password'))).mode & 0o777).toBe(0o600);
	}, 120_000);
});
