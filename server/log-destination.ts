/**
 * Where the process's log lines go: stdout, without ever blocking the event loop. pino's default
 * destination writes synchronously and, when the pipe is full (EAGAIN), sleeps in `Atomics.wait`
 * and retries, forever if nobody reads: a server whose parent had exited mid-shutdown hung there,
 * deaf to its shutdown deadline. Here lines go through the stream's own non-blocking writes; when
 * more than `maxBufferedBytes` wait (a stuck reader) new lines are dropped and counted, and once
 * the output is gone (EPIPE, EBADF…) every later line is dropped.
 */
import type { Writable } from 'node:stream';

/** A pino destination (`write(line)`) that never blocks, and `flush` for the end. */
export interface LogDestination {
	write(line: string): void;
	/** Resolves when every accepted line is handed to the OS, or after `timeoutMs` (never blocks). */
	flush(timeoutMs: number): Promise<void>;
	/** Lines dropped so far (stuck or closed output). */
	readonly dropped: number;
}

/**
 * Wraps a writable stream (process.stdout). On a pipe or socket Node's stdout writes without
 * blocking and queues the rest in memory; this bounds that queue. The stream's errors are taken
 * here: an EPIPE on stdout would otherwise be an uncaught exception.
 */
export function nonBlockingDestination(stream: Writable, maxBufferedBytes: number): LogDestination {
	let closed = false;
	let dropped = 0;
	stream.on('error', () => {
		closed = true;
	});
	return {
		write(line) {
			if (closed || stream.destroyed || stream.writableLength + line.length > maxBufferedBytes) {
				dropped++;
				return;
			}
			stream.write(line);
		},
		flush(timeoutMs) {
			if (closed || stream.destroyed || stream.writableLength === 0) return Promise.resolve();
			return new Promise((resolve) => {
				const done = () => {
					clearTimeout(timer);
					stream.off('drain', done);
					stream.off('error', done);
					resolve();
				};
				const timer = setTimeout(done, timeoutMs);
				timer.unref();
				stream.once('drain', done);
				stream.once('error', done);
			});
		},
		get dropped() {
			return dropped;
		}
	};
}
