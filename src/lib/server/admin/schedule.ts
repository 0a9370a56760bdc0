/**
 * Scheduled backups (BACKUP_INTERVAL_HOURS > 0): every interval one archive into DATA_DIR/backups,
 * then only the newest BACKUP_KEEP are kept. With several instances, set it on one of them.
 */
import type { Runtime } from '../runtime.js';
import { audit } from './audit.js';

/** Starts the schedule; returns the function that stops it. */
export function scheduleBackups(rt: Pick<Runtime, 'db' | 'config' | 'backups' | 'now' | 'log'>): () => void {
	const hours = rt.config.backupIntervalHours;
	if (!hours) return () => {};
	const run = async () => {
		try {
			const backup = await rt.backups.create({ db: rt.db, dataDir: rt.config.dataDir, limits: rt.config.limits, now: rt.now });
			const pruned = await rt.backups.prune(rt.config.backupKeep);
			await audit(rt.db, {
				admin: { id: null, username: 'schedule' },
				action: 'backup.create',
				target: backup.id,
				detail: `${backup.size} bytes`,
				now: rt.now()
			});
			rt.log.info({ backup: backup.id, bytes: backup.size, pruned }, 'scheduled backup made');
		} catch (error) {
			rt.log.error({ err: error }, 'scheduled backup failed');
		}
	};
	const timer = setInterval(() => void run(), hours * 3600_000);
	timer.unref();
	return () => clearInterval(timer);
}
