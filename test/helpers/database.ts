// A fresh database for one test file: a copy of the PGlite template, or a database created on
// the real PostgreSQL of TEST_DATABASE_URL; both are removed by `destroy()`.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite } from '$lib/server/db/pglite';
import { openPostgres } from '$lib/server/db/postgres';
import type { Db } from '$lib/server/db';

export type TestDatabaseKind = 'pglite' | 'postgres';

/** Which database this test project runs on (set per project in vitest.config.ts). */
export function testDatabaseKind(): TestDatabaseKind {
	return process.env.PARLEY_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase {
	kind: TestDatabaseKind;
	/** How to open it again (after a restart): a directory or a connection string. */
	location: { dataDir?: string; databaseUrl?: string };
	open(): Promise<Db>;
	destroy(): Promise<void>;
}

/** Creates an empty database of the project's kind. */
export async function createTestDatabase(kind = testDatabaseKind()): Promise<TestDatabase> {
	if (kind === 'pglite') {
		const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-test-'));
		await fs.cp(inject('pgliteTemplate'), path.join(dataDir, 'db'), { recursive: true });
		return {
			kind,
			location: { dataDir },
			open: () => openPglite(path.join(dataDir, 'db')),
			destroy: () => fs.rm(dataDir, { recursive: true, force: true })
		};
	}
	const adminUrl = process.env.TEST_DATABASE_URL;
	if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
	const name = `parley_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`create database ${name}`);
	await admin.end();
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const databaseUrl = url.toString();
	return {
		kind,
		location: { databaseUrl },
		open: () => openPostgres(databaseUrl),
		async destroy() {
			const client = new pg.Client({ connectionString: adminUrl });
			await client.connect();
			await client.query(`drop database if exists ${name} with (force)`);
			await client.end();
		}
	};
}
