// `npm start`: builds the app if the build is missing or older than its sources, then runs it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, 'build');
const stamp = path.join(buildDir, '.built');
/** What the build is made of; a change to any of these makes `npm start` build again. */
const SOURCES = [
	'src',
	'server',
	'static',
	'messages',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts',
	'vite.process.config.ts'
];

function newestMtime(target) {
	if (!fs.existsSync(target)) return 0;
	const stat = fs.statSync(target);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
	return newest;
}

/** True when build/ holds a complete build at least as new as every source. */
export function buildIsFresh() {
	if (!fs.existsSync(stamp) || !fs.existsSync(path.join(buildDir, 'process', 'main.js'))) return false;
	const built = fs.statSync(stamp).mtimeMs;
	return SOURCES.every((source) => newestMtime(path.join(root, source)) <= built);
}

/** Builds SvelteKit (build/handler.js) and then the process entry (build/process/main.js). */
export function build() {
	const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	for (const args of [['build'], ['build', '--config', 'vite.process.config.ts']]) {
		const result = spawnSync(process.execPath, [vite, ...args], { cwd: root, stdio: 'inherit' });
		if (result.status !== 0) throw new Error(`vite ${args.join(' ')} failed`);
	}
	fs.writeFileSync(stamp, new Date().toISOString() + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	if (!buildIsFresh()) {
		console.log('Building Parley (first start, or sources changed)…');
		build();
	}
	await import('./serve.js');
}
