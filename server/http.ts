/**
 * The Node HTTP server of one process: every request gets an id and a log line, carries the
 * runtime to SvelteKit's handler, has its large JSON answer compressed, and WebSocket upgrades are
 * routed by path.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { attachRuntime, type Runtime } from '$lib/server/runtime';
import { REQUEST_ID_HEADER, requestIdFrom } from '$lib/server/request-id';
import type { Limits } from '$lib/server/config';
import { compressJsonAnswers } from './compression.js';

/** SvelteKit's adapter-node handler (a connect-style middleware). */
export type KitHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

/** Request headers carrying the configured public origin to adapter-node (see kit-handler.ts). */
export const ORIGIN_PROTOCOL_HEADER = 'x-parley-origin-protocol';
export const ORIGIN_HOST_HEADER = 'x-parley-origin-host';

/** Takes a WebSocket upgrade for a path prefix. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Creates the server; `upgrades` maps a path prefix (e.g. `/sync/`) to its handler. */
export function createHttpServer(options: {
	handler: KitHandler;
	runtime: Runtime;
	log: Logger;
	upgrades: Record<string, UpgradeHandler>;
	limits: Pick<Limits, 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpKeepAliveTimeoutMs' | 'httpCompressMinBytes'>;
}): http.Server {
	const { handler, runtime, log, upgrades, limits } = options;
	const serverOptions: http.ServerOptions = {
		// A socket that has not sent its headers in time is answered 408 and closed (slowloris).
		headersTimeout: limits.httpHeadersTimeoutMs,
		requestTimeout: limits.httpRequestTimeoutMs,
		keepAliveTimeout: limits.httpKeepAliveTimeoutMs,
		// Node checks these timeouts on this interval (default 30 s): a few times per headers timeout.
		connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(limits.httpHeadersTimeoutMs / 4)))
	};
	const server = http.createServer(serverOptions, (req, res) => {
		const started = performance.now();
		const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
		req.headers[REQUEST_ID_HEADER] = id;
		res.setHeader(REQUEST_ID_HEADER, id);
		attachRuntime(req, runtime);
		// Overwritten on every request, so a client cannot choose the origin SvelteKit sees.
		const origin = new URL(runtime.config.origin);
		req.headers[ORIGIN_PROTOCOL_HEADER] = origin.protocol.slice(0, -1);
		req.headers[ORIGIN_HOST_HEADER] = origin.host;
		res.on('finish', () => {
			const ms = +(performance.now() - started).toFixed(1);
			log.info({ reqId: id, method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms }, 'request');
			runtime.metrics?.observeHttp(req.method ?? 'GET', res.statusCode, ms);
		});
		// Large JSON answers go out compressed (static assets come precompressed from the build).
		compressJsonAnswers(req, res, limits.httpCompressMinBytes);
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	server.on('upgrade', (req, socket, head) => {
		const path = req.url ?? '/';
		for (const [prefix, upgrade] of Object.entries(upgrades)) {
			if (path.startsWith(prefix)) return upgrade(req, socket, head);
		}
		socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
	});
	return server;
}
