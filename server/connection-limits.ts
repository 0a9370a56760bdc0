/**
 * Bounds on the server's sockets (issue 8 follow-up): one address opened 19 900 half-open sockets
 * and exhausted the process's file descriptors. Each address may hold `maxPerAddress` sockets at
 * once (HTTP and WebSocket alike: an upgraded socket stays the same socket), and the server as a
 * whole stays `fdReserve` below the descriptor limit so the database, files and logs still open.
 * The address is the socket's peer: known before any byte is read, so nothing is parsed for a
 * socket that is over the cap. Behind a reverse proxy every client shares the proxy's address:
 * raise the cap there (0 disables it) and let the proxy limit per client (docs/operations.md).
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type { Socket } from 'node:net';

/** Counters the tests read. */
export interface ConnectionStats {
	/** Sockets closed at once because their address held `maxPerAddress` already. */
	perAddressRefusals: number;
	/** What the server's `maxConnections` was set to (Infinity: the descriptor limit is unknown). */
	maxConnections: number;
}

/** The soft limit on open file descriptors (Linux: /proc/self/limits), or `fallback` where unknown. */
export function fdLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8'), fallback = 1024): number {
	try {
		const line = read()
			.split('\n')
			.find((l) => l.startsWith('Max open files'));
		const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
		const value = soft === 'unlimited' ? Infinity : Number(soft);
		return Number.isFinite(value) && value > 0 ? value : fallback;
	} catch {
		return fallback;
	}
}

/** Applies both bounds to `server`; returns its counters. */
export function limitConnections(
	server: http.Server,
	options: { maxPerAddress: number; fdReserve: number; fdLimit: number }
): ConnectionStats {
	const stats: ConnectionStats = { perAddressRefusals: 0, maxConnections: Infinity };
	// Node refuses (closes) sockets past maxConnections itself, before our 'connection' handler.
	if (Number.isFinite(options.fdLimit)) server.maxConnections = stats.maxConnections = Math.max(64, options.fdLimit - options.fdReserve);
	if (options.maxPerAddress <= 0) return stats;
	const open = new Map<string, number>();
	server.on('connection', (socket: Socket) => {
		const address = socket.remoteAddress ?? 'unknown';
		const count = open.get(address) ?? 0;
		if (count >= options.maxPerAddress) {
			stats.perAddressRefusals++;
			socket.destroy();
			return;
		}
		open.set(address, count + 1);
		socket.once('close', () => {
			const left = (open.get(address) ?? 1) - 1;
			if (left > 0) open.set(address, left);
			else open.delete(address);
		});
	});
	return stats;
}
