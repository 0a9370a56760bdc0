// `npm run demo`: adds the demo accounts (admin/admin123, user1/123456, user2/123456: below the
// password policy, for trying Parley only) and a few conversations. The server does the work
// (POST /api/admin/demo with the control token of DATA_DIR/.parley-control.json): the one running
// on this DATA_DIR, or a temporary one started for the time it takes. Always exits by itself.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { build, buildIsFresh } from '../server/start.js';

const dataDir = path.resolve(process.env.DATA_DIR || './data');
const controlFile = path.join(dataDir, '.parley-control.json');
/** How long a temporary server may take to start (first start of an embedded database runs initdb). */
const START_TIMEOUT_MS = 120_000;

async function control() {
	try {
		const info = JSON.parse(await fs.readFile(controlFile, 'utf8'));
		const res = await fetch(`${info.url}/readyz`, { signal: AbortSignal.timeout(3000) });
		return res.ok ? info : null;
	} catch {
		return null;
	}
}

async function startTemporary() {
	if (!buildIsFresh()) build();
	// PORT=0: any free port, so a server elsewhere on 3000 is never in the way.
	const child = spawn(process.execPath, [path.resolve('server/serve.js')], {
		env: { ...process.env, PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
		stdio: ['ignore', 'inherit', 'inherit']
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const deadline = Date.now() + START_TIMEOUT_MS;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the temporary server exited with ${child.exitCode}`);
		const info = await control();
		if (info && info.pid === child.pid) return { info, stop: () => (child.kill('SIGTERM'), exited) };
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error('the temporary server did not start in time');
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

let code = 0;
let stop = null;
try {
	let info = await control();
	if (!info) ({ info, stop } = await startTemporary());
	const res = await fetch(`${info.url}/api/admin/demo`, { method: 'POST', headers: { authorization: `Bearer ${info.token}` } });
	const body = await res.json();
	if (res.status !== 201) throw new Error(body.error?.message ?? `the server answered ${res.status}`);
	const bar = '!'.repeat(78);
	console.log(`\n${bar}\n  DEMO MODE: these accounts have passwords BELOW the password policy.`);
	console.log('  Use them only to try Parley; never on a server that holds real conversations.');
	console.log('  The admin panel warns while a demo account exists; delete them there.\n');
	for (const a of body.accounts)
		console.log(
			`    ${a.username.padEnd(8)} / ${a.password.padEnd(10)} ${a.created ? '(created)' : '(already there: password unchanged)'}`
		);
	console.log(`\n  Conversations added: ${body.conversations}${body.conversations ? '' : ' (demo conversations exist already)'}\n${bar}\n`);
} catch (error) {
	console.error(`npm run demo failed: ${error.message}`);
	code = 1;
} finally {
	await stop?.();
}
// Nothing may keep the process alive (the old script hung on open sockets): exit explicitly.
process.exit(code);
