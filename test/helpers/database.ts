// A fresh database for one test file, copied from the run's migrated template on the project's
// server (the shared embedded PostgreSQL, or TEST_DATABASE_URL's); `destroy()` drops it.
import pg from 'pg';
import { inject } from 'vitest';
import { openPostgres } from '$lib/server/db/postgres';
import type { Db } from '$lib/server/db';

export type TestDatabaseKind = 'embedded' | 'postgres';

/** Which server this test project runs on (set per project in vitest.config.ts). */
export function testDatabaseKind(): TestDatabaseKind {
	return process.env.PARLEY_TEST_DB === 'postgres' ? 'postgres' : 'embedded';
}

export interface TestDatabase {
	kind: TestDatabaseKind;
	/** How to open it again (after a restart, or from a child process). */
	location: { databaseUrl: string };
	open(): Promise<Db>;
	destroy(): Promise<void>;
}

async function onServer(sql: string) {
	const admin = new pg.Client({ connectionString: inject('testServerUrl') });
	await admin.connect();
	try {
		await admin.query(sql);
	} finally {
		await admin.end();
	}
}

/** Creates a migrated, empty database on the project's server. */
export async function createTestDatabase(kind = testDatabaseKind()): Promise<TestDatabase> {
	const name = `parley_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	await onServer(`create database ${name} template ${inject('testTemplate')}`);
	const url = new URL(inject('testServerUrl'));
	url.pathname = `/${name}`;
	const databaseUrl = url.toString();
	return {
		kind,
		location: { databaseUrl },
		open: () => openPostgres(databaseUrl, { kind }),
		destroy: () => onServer(`drop database if exists ${name} with (force)`)
	};
}
