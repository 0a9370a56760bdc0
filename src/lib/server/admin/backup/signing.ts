/**
 * Optional signing of backup archives (issue 21, item 6). An archive's checksums find damage, not
 * forgery: anyone can write one whose checksums match. A server signs what it makes with a key
 * kept in `DATA_DIR/backup-key` (made on its first backup, mode 0600): a record `S` after the
 * trailer holding HMAC-SHA256(key, the trailer's SHA-256 of all content). `npm run restore`
 * checks it whenever the target's DATA_DIR has a key (or `--key FILE` names one): an archive
 * signed with another key, or unsigned, is refused unless `--unsigned` says to trust it anyway.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Where the key lives under DATA_DIR. */
export const backupKeyPathOf = (dataDir: string) => path.join(dataDir, 'backup-key');

/** Bytes of a generated key. */
const KEY_BYTES = 32;

/** Reads a key file (hex, as written here); null when there is none. Throws for a malformed one. */
export async function readBackupKey(file: string): Promise<Buffer | null> {
	let text: string;
	try {
		text = (await fs.readFile(file, 'utf8')).trim();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
	if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${file} is not a backup key (64 hex digits)`);
	return Buffer.from(text, 'hex');
}

/** The key of `dataDir`, made now (0600) when there is none yet. */
export async function ensureBackupKey(dataDir: string): Promise<Buffer> {
	const file = backupKeyPathOf(dataDir);
	const existing = await readBackupKey(file);
	if (existing) return existing;
	await fs.mkdir(dataDir, { recursive: true });
	const key = randomBytes(KEY_BYTES);
	try {
		await fs.writeFile(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
		return key;
	} catch (error) {
		// Another process made it first: theirs is the key.
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readBackupKey(file))!;
		throw error;
	}
}

/** The signature of an archive whose content hash (the trailer, hex) is `contentHash`. */
export function signatureOf(key: Buffer, contentHash: string): string {
	return createHmac('sha256', key).update(contentHash).digest('hex');
}

/** True when `signature` is `key`'s signature of `contentHash`. */
export function signatureMatches(key: Buffer, contentHash: string, signature: string | null): boolean {
	if (!signature) return false;
	const expected = Buffer.from(signatureOf(key, contentHash));
	const given = Buffer.from(signature);
	return given.length === expected.length && timingSafeEqual(given, expected);
}
