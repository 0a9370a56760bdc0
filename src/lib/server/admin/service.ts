/** The admin area's entry points as routes call them, each taking the runtime it needs. */
import type { Runtime } from '../runtime.js';
import { collectStats, type AdminStats } from './stats.js';

/** The current figures of this server. */
export function statsOf(rt: Pick<Runtime, 'db' | 'config' | 'relayStats' | 'now'>): Promise<AdminStats> {
	return collectStats({
		db: rt.db,
		dataDir: rt.config.dataDir,
		diskFreeFloorBytes: rt.config.limits.diskFreeFloorBytes,
		relayStats: rt.relayStats,
		now: rt.now()
	});
}
