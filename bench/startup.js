// Cold and warm start of the built Parley (what `npm start` runs), and the memory of Parley plus
// its database at rest, on the embedded default (DATA_DIR/pg; the cold start runs initdb) and on
// an external PostgreSQL (the cold start runs the migrations), interleaved over several rounds.
// Memory is summed over the process tree (Parley and the PostgreSQL processes it started): RSS
// counts pages shared between processes once per process (PostgreSQL's shared buffers), PSS
// divides them among their sharers; the truth for "what this deployment costs" lies between.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cell, createBenchDatabase, interleaved, rounds, startParleyProcess, summary, treeStats } from './lib.js';

/** The memory target for Parley plus its embedded database, warm and idle (issue 12). */
const WARM_TARGET_MIB = 150;
/** Wait after ready before reading memory: the first requests' allocations settle. */
const SETTLE_MS = 1000;

/** Starts Parley, measures start time, then CPU and memory of its tree once settled; stops it. */
async function measure(options) {
	const server = await startParleyProcess(options);
	const atReady = treeStats(server.pid);
	await new Promise((r) => setTimeout(r, SETTLE_MS));
	const settled = treeStats(server.pid);
	await server.stop();
	return {
		ms: server.startMs,
		cpuMs: atReady.cpuMs,
		waitMs: atReady.waitMs,
		processes: settled.processes,
		rssMiB: settled.rssMiB,
		pssMiB: settled.pssMiB,
		each: settled.each
	};
}

/** Runs the startup benchmark; returns rows for the table. */
export async function benchStartup() {
	const database = await createBenchDatabase();
	const embeddedDirs = [];
	const embeddedDir = () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-startup-'));
		fs.chmodSync(dir, 0o755); // as root, the embedded server's user must enter it
		embeddedDirs.push(dir);
		return dir;
	};
	let dataDirMiB = NaN;
	let externalCold = true;
	try {
		const results = await interleaved(
			{
				'embedded cold (initdb)': async () => measure({ dataDir: embeddedDir() }),
				'embedded warm': async () => {
					const dir = embeddedDir();
					await (await startParleyProcess({ dataDir: dir })).stop();
					const result = await measure({ dataDir: dir });
					dataDirMiB = Number(execSync(`du -sm ${dir}`).toString().split('\t')[0]);
					return result;
				},
				'external PostgreSQL': async () => {
					// The first round's first start migrates; later ones are warm.
					const result = await measure({ env: { DATABASE_URL: database.url } });
					result.cold = externalCold;
					externalCold = false;
					return result;
				}
			},
			rounds(3)
		);
		const rows = Object.entries(results).map(([start, runs]) => ({
			start,
			'ms to ready': cell(summary(runs.map((r) => r.ms))),
			'RSS MiB (tree)': cell(summary(runs.map((r) => r.rssMiB))),
			'PSS MiB (tree)': cell(summary(runs.map((r) => r.pssMiB))),
			processes: runs[0]?.processes,
			'busy runs': `${runs.filter((r) => r.busy).length}/${runs.length}`
		}));
		const warm = summary(results['embedded warm'].map((r) => r.rssMiB));
		const busy = Object.values(results)
			.flat()
			.some((r) => r.busy);
		return {
			rows,
			warmTarget: `${warm.median <= WARM_TARGET_MIB ? 'met' : 'MISSED'}: embedded warm RSS (tree) median ${warm.median} MiB, target < ${WARM_TARGET_MIB} MiB`,
			machine: busy ? 'BUSY: some runs waited for a CPU or started under load; times are the machine’s, not Parley’s' : 'quiet',
			embeddedDataDirMiB: dataDirMiB,
			results
		};
	} finally {
		for (const dir of embeddedDirs) fs.rmSync(dir, { recursive: true, force: true });
		await database.drop();
	}
}
