/**
 * Stopping on SIGTERM/SIGINT within SHUTDOWN_TIMEOUT_MS, whatever is pending:
 * - the first signal starts a graceful stop (sockets closed, accepted updates committed, database
 *   closed) and arms two deadlines: a timer that exits the process shortly before the deadline,
 *   and a watchdog process that SIGKILLs it at the deadline, for what a timer cannot beat (a main
 *   thread stuck in a system call, or an exit waiting on a stuck thread-pool write);
 * - a second signal exits at once.
 * Nothing on the way blocks the event loop: logs go through a non-blocking destination
 * (log-destination.ts), so the timer really fires.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { Logger } from 'pino';

/** What the shutdown needs: the stop itself, the log, and the process to end (injected for tests). */
export interface ShutdownOptions {
	close: () => Promise<void>;
	log: Logger;
	/** Waits (at most the given ms) for log lines to reach the OS. */
	flushLog: (timeoutMs: number) => Promise<void>;
	timeoutMs: number;
	exit?: (code: number) => never;
	/** Starts the watchdog process (default: a tiny Node process); null: none. */
	watchdog?: ((pid: number, afterMs: number) => { disarm(): void }) | null;
}

/** Longest wait for the last log lines after a clean stop (a stuck stdout must not use up the deadline). */
const LOG_FLUSH_MAX_MS = 1000;

/** Time kept between the in-process exit timer and the hard deadline (at most a second). */
function exitMargin(timeoutMs: number): number {
	return Math.min(1000, Math.floor(timeoutMs / 5));
}

/** The watchdog's program: SIGKILL the pid after the delay; leave early once the pid is gone. */
const WATCHDOG_SOURCE = `
const [pid, afterMs] = process.argv.slice(-2).map(Number);
const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); }, afterMs);
setInterval(() => { if (!alive()) process.exit(0); }, 200);
`;

/** A separate process that SIGKILLs `pid` after `afterMs`; `disarm` ends it. */
export function spawnWatchdog(pid: number, afterMs: number): { disarm(): void } {
	let child: ChildProcess | undefined;
	try {
		child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, '--', String(pid), String(afterMs)], { stdio: 'ignore', detached: true });
		child.on('error', () => {});
		child.unref();
	} catch {
		child = undefined;
	}
	return {
		disarm() {
			try {
				child?.kill('SIGKILL');
			} catch {
				// already gone
			}
		}
	};
}

/** Installs the SIGTERM/SIGINT handlers; returns a function that removes them (tests). */
export function handleShutdownSignals(options: ShutdownOptions): () => void {
	const { close, log, flushLog, timeoutMs } = options;
	const exit = options.exit ?? ((code: number) => process.exit(code));
	const watchdog = options.watchdog === undefined ? spawnWatchdog : options.watchdog;
	let stopping = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (stopping) {
			log.warn({ signal }, 'second signal: exiting now');
			exit(128 + (os.constants.signals[signal] ?? 15));
		}
		stopping = true;
		const started = Date.now();
		log.info({ signal, timeoutMs }, 'stopping');
		const guard = watchdog?.(process.pid, timeoutMs);
		process.once('exit', () => guard?.disarm());
		const timer = setTimeout(
			() => {
				log.error({ timeoutMs }, 'shutdown deadline passed: exiting with work pending');
				exit(1);
			},
			timeoutMs - exitMargin(timeoutMs)
		);
		close().then(
			async () => {
				await flushLog(Math.max(0, Math.min(LOG_FLUSH_MAX_MS, timeoutMs - exitMargin(timeoutMs) - (Date.now() - started))));
				clearTimeout(timer);
				exit(0);
			},
			(error: unknown) => {
				log.error({ err: error }, 'unclean stop');
				clearTimeout(timer);
				exit(1);
			}
		);
	};
	process.on('SIGTERM', onSignal);
	process.on('SIGINT', onSignal);
	return () => {
		process.off('SIGTERM', onSignal);
		process.off('SIGINT', onSignal);
	};
}
