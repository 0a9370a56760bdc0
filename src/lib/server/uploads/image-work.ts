/**
 * Image conversions (sharp) through the process's bounded queue (work-queue.ts, as argon2): at
 * most `imageWorkConcurrency` run at once, `imageWorkMaxQueued` wait, and past that the request
 * answers 503 `busy` with Retry-After instead of piling decoded images up in memory.
 */
import { ApiError } from '../http-errors.js';
import type { WorkQueue } from '../work-queue.js';

/** Seconds a client is told to wait when the queue is full. */
const BUSY_RETRY_AFTER_S = 2;

/**
 * Runs `task` through `queue`; 503 `busy` when the queue is full or `userId` already has their
 * share of it (`imageWorkMaxPerUser`) (nothing ran).
 */
export async function imageQueued<T>(queue: Pick<WorkQueue, 'run'>, task: () => Promise<T>, userId?: string): Promise<T> {
	const result = await queue.run(task, userId);
	if (result.busy)
		throw new ApiError(503, 'busy', 'The server is busy converting images; try again in a moment', {
			headers: { 'retry-after': String(BUSY_RETRY_AFTER_S) }
		});
	return result.value;
}
