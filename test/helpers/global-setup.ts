// Once per test run: check the build exists, and prepare one initialised (initdb) PGlite data directory that
// every test copies (initdb costs seconds and ~800 MB; a copy costs a fraction of that).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
	}
}

export default async function setup(project: TestProject) {
	try {
		await fs.access(path.resolve('build/handler.js'));
	} catch {
		throw new Error('No build: run the tests with `npm test` (it builds first), or `npm run build` once');
	}
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-pglite-template-'));
	const pg = await PGlite.create(dir);
	await pg.close();
	project.provide('pgliteTemplate', dir);
	return async () => {
		await fs.rm(dir, { recursive: true, force: true });
	};
}
