// Cold and warm start of `npm start` (built), and resident memory idle, on the embedded
// database (PGlite: first start runs initdb) and on a real PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase, rssMiB, startParleyProcess } from './lib.js';

/** Runs the startup benchmark; returns rows for the table. */
export async function benchStartup() {
	const rows = [];
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-startup-'));
	const cold = await startParleyProcess({ dataDir });
	rows.push({ database: 'pglite', start: 'cold (initdb)', ms: cold.startMs, rssMiB: rssMiB(cold.pid) });
	await cold.stop();
	const warm = await startParleyProcess({ dataDir });
	rows.push({ database: 'pglite', start: 'warm', ms: warm.startMs, rssMiB: rssMiB(warm.pid) });
	await warm.stop();
	const dbSize = Number((await import('node:child_process')).execSync(`du -sm ${dataDir}`).toString().split('\t')[0]);
	fs.rmSync(dataDir, { recursive: true, force: true });

	const database = await createBenchDatabase();
	try {
		for (const start of ['cold (migrations)', 'warm']) {
			const server = await startParleyProcess({ env: { DATABASE_URL: database.url } });
			rows.push({ database: 'postgres', start, ms: server.startMs, rssMiB: rssMiB(server.pid) });
			await server.stop();
		}
	} finally {
		await database.drop();
	}
	return { rows, embeddedDataDirMiB: dbSize };
}
