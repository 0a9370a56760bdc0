/**
 * How `npm run backup` reaches a running server whose embedded database it cannot open itself
 * (the embedded PostgreSQL belongs to that server and stops with it): the server writes DATA_DIR/.parley-control.json (mode 0600) with
 * its URL and a random token while it runs. Whoever can read that file can read the database
 * files anyway, so the token grants nothing new; it is accepted only for making a backup.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export const CONTROL_FILE = '.parley-control.json';

export interface ControlInfo {
	url: string;
	token: string;
	pid: number;
}

/** A fresh random token. */
export const newControlToken = () => randomBytes(32).toString('base64url');

/** Writes the control file; returns a function that removes it (if it is still ours). */
export async function writeControlFile(dataDir: string, info: ControlInfo): Promise<() => Promise<void>> {
	const file = path.join(dataDir, CONTROL_FILE);
	await fs.mkdir(dataDir, { recursive: true });
	await fs.writeFile(file, JSON.stringify(info), { mode: 0o600 });
	return async () => {
		const now = await readControlFile(dataDir);
		if (now?.token === info.token) await fs.rm(file, { force: true });
	};
}

/** The control file of a server on this DATA_DIR, or null. */
export async function readControlFile(dataDir: string): Promise<ControlInfo | null> {
	try {
		return JSON.parse(await fs.readFile(path.join(dataDir, CONTROL_FILE), 'utf8')) as ControlInfo;
	} catch {
		return null;
	}
}

/** True when `header` is `Bearer <token>` for this token. */
export function isControlBearer(header: string | null, token: string | null): boolean {
	if (!header || !token) return false;
	const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
	const want = Buffer.from(token);
	return given.length === want.length && timingSafeEqual(given, want);
}
