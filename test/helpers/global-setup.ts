// Once per test project: check the build exists, and prepare the database server the project's
// test files share: one embedded PostgreSQL for the whole run (integration-embedded, e2e), or the
// server of TEST_DATABASE_URL (integration-postgres). On it, one migrated template database that
// each test file copies into its own database (CREATE DATABASE … TEMPLATE: milliseconds, where
// migrating every file's database again would cost far more).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { migrate } from '$lib/server/db';
import { openPostgres } from '$lib/server/db/postgres';
import { startEmbeddedPostgres, type EmbeddedServer } from '$lib/server/db/embedded/server';
import { DEFAULT_LIMITS } from '$lib/server/config';

declare module 'vitest' {
	export interface ProvidedContext {
		/** A superuser connection string of the project's server (database `postgres` or TEST_DATABASE_URL's). */
		testServerUrl: string;
		/** The migrated template database on it. */
		testTemplate: string;
	}
}

/** Test files of one worker share the server: room for every file's pool (10) at once, and more. */
const TEST_MAX_CONNECTIONS = 200;

async function onServer(url: string, sql: string) {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

export default async function setup(project: TestProject) {
	try {
		await fs.access(path.resolve('build/handler.js'));
	} catch {
		throw new Error('No build: run the tests with `npm test` (it builds first), or `npm run build` once');
	}
	let embedded: EmbeddedServer | undefined;
	let dir: string | undefined;
	let serverUrl: string;
	if (project.config.env?.PARLEY_TEST_DB === 'postgres') {
		if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
		serverUrl = process.env.TEST_DATABASE_URL;
	} else {
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-test-pg-'));
		// As root the server runs as `postgres`, which must be able to enter the directory.
		await fs.chmod(dir, 0o755);
		embedded = await startEmbeddedPostgres({
			dir: path.join(dir, 'pg'),
			passwordFile: path.join(dir, 'pg-password'),
			log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' }),
			settings: { max_connections: TEST_MAX_CONNECTIONS },
			startTimeoutMs: DEFAULT_LIMITS.embeddedStartTimeoutMs,
			stopTimeoutMs: DEFAULT_LIMITS.embeddedStopTimeoutMs,
			onExit: (how) => console.error('the test run’s embedded PostgreSQL stopped unexpectedly', how)
		});
		serverUrl = embedded.url;
	}
	const template = `parley_template_${process.pid}_${project.name.replace(/\W/g, '_')}`;
	await onServer(serverUrl, `create database ${template}`);
	const url = new URL(serverUrl);
	url.pathname = `/${template}`;
	const db = await openPostgres(url.toString());
	await migrate(db);
	await db.close();
	project.provide('testServerUrl', serverUrl);
	project.provide('testTemplate', template);
	return async () => {
		await onServer(serverUrl, `drop database if exists ${template} with (force)`).catch(() => {});
		await embedded?.stop();
		if (dir) await fs.rm(dir, { recursive: true, force: true });
	};
}
