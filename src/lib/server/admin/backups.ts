/** Backups as the admin routes use them: create, download, delete, each audited. */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Runtime } from '../runtime.js';
import { ApiError } from '../http-errors.js';
import { BackupError } from './backup/format.js';
import type { BackupInfo } from './backup/store.js';
import { audit } from './audit.js';

type Admin = { id: string | null; username: string };
type Deps = Pick<Runtime, 'db' | 'config' | 'backups' | 'now' | 'log'>;

/** Makes a backup now (409 while one is running). */
export async function createBackup(rt: Deps, admin: Admin): Promise<BackupInfo> {
	try {
		const backup = await rt.backups.create({ db: rt.db, dataDir: rt.config.dataDir, limits: rt.config.limits, now: rt.now });
		await audit(rt.db, { admin, action: 'backup.create', target: backup.id, detail: `${backup.size} bytes`, now: rt.now() });
		rt.log.info({ adminId: admin.id, backup: backup.id, bytes: backup.size }, 'backup made');
		return backup;
	} catch (error) {
		if (error instanceof BackupError && error.code === 'busy') throw new ApiError(409, 'backup_running', error.message);
		throw error;
	}
}

/** The archive as a download (streamed from disk); audited: it holds every password hash, 2FA secret and message. */
export async function downloadBackup(rt: Deps, admin: Admin, id: string): Promise<Response> {
	const info = await rt.backups.get(id);
	const file = rt.backups.pathOf(id);
	if (!info || !file) throw new ApiError(404, 'not_found', 'No such backup');
	await audit(rt.db, { admin, action: 'backup.download', target: id, detail: `${info.size} bytes`, now: rt.now() });
	const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>;
	return new Response(body, {
		headers: {
			'content-type': 'application/gzip',
			'content-length': String(info.size),
			'content-disposition': `attachment; filename="${info.name}"`,
			'cache-control': 'no-store'
		}
	});
}

/** Deletes one (404 when there is none). */
export async function deleteBackup(rt: Deps, admin: Admin, id: string): Promise<void> {
	if (!(await rt.backups.remove(id))) throw new ApiError(404, 'not_found', 'No such backup');
	await audit(rt.db, { admin, action: 'backup.delete', target: id, now: rt.now() });
}
