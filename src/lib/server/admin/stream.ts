/**
 * The live figures of the panel: a Server-Sent Events stream pushing the stats JSON every
 * `adminStatsIntervalMs`. Each open stream polls the database, so a process serves at most
 * `adminStatsStreamsMax` at once (a further one is answered 429).
 */
import type { Runtime } from '../runtime.js';
import { ApiError } from '../http-errors.js';
import { statsOf } from './service.js';

/** Open streams per runtime (several runtimes share a process in tests). */
const open = new WeakMap<object, number>();

/** The last figures collected per runtime: every open stream's tick shares one collection. */
const recent = new WeakMap<object, { at: number; stats: ReturnType<typeof statsOf> }>();

/** Figures at most half an interval old: N panels cost one set of queries (and one walk of the uploads) per tick, not N. */
function sharedStats(rt: Parameters<typeof statsOf>[0] & Pick<Runtime, 'config'>): ReturnType<typeof statsOf> {
	const now = Date.now();
	const last = recent.get(rt);
	if (last && now - last.at < rt.config.limits.adminStatsIntervalMs / 2) return last.stats;
	const stats = statsOf(rt);
	recent.set(rt, { at: now, stats });
	// A failed collection is not shared: the next tick asks again.
	stats.catch(() => recent.delete(rt));
	return stats;
}

/**
 * The SSE response; closes when the client goes, the server stops, or `stillAllowed` answers false
 * (asked before every tick: a demoted, disabled or signed-out admin gets no further figures and
 * frees the slot at once rather than holding one of `adminStatsStreamsMax` forever).
 */
export function statsStream(
	rt: Pick<Runtime, 'db' | 'config' | 'relayStats' | 'now' | 'log'>,
	signal: AbortSignal,
	stillAllowed: () => Promise<boolean>
): Response {
	const count = open.get(rt) ?? 0;
	if (count >= rt.config.limits.adminStatsStreamsMax)
		throw new ApiError(429, 'too_many_streams', 'Too many live panels are open; close one', { headers: { 'retry-after': '10' } });
	open.set(rt, count + 1);
	const encoder = new TextEncoder();
	let timer: NodeJS.Timeout | undefined;
	let closed = false;
	const release = () => {
		if (closed) return;
		closed = true;
		clearTimeout(timer);
		open.set(rt, (open.get(rt) ?? 1) - 1);
	};
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			const push = async () => {
				if (closed) return;
				try {
					if (!(await stillAllowed())) throw new Error('no longer an admin');
					const stats = await sharedStats(rt);
					if (closed) return;
					controller.enqueue(encoder.encode(`event: stats\ndata: ${JSON.stringify(stats)}\n\n`));
				} catch (error) {
					// The database closing under a stopping server, or the admin's rights ending, ends the stream quietly.
					rt.log.debug({ err: error }, 'stats stream stopped');
					release();
					try {
						controller.close();
					} catch {
						/* already closed */
					}
					return;
				}
				timer = setTimeout(push, rt.config.limits.adminStatsIntervalMs);
				timer.unref();
			};
			controller.enqueue(encoder.encode(`retry: ${rt.config.limits.adminStatsIntervalMs}\n\n`));
			void push();
			signal.addEventListener('abort', () => {
				release();
				try {
					controller.close();
				} catch {
					/* already closed */
				}
			});
		},
		cancel: release
	});
	return new Response(body, {
		headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'keep-alive' }
	});
}
