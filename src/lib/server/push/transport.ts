/**
 * Sends one push request to a push service, treating the endpoint as hostile: the name is
 * resolved once and checked (endpoint.ts), the socket connects to exactly that address (TLS still
 * verifies the name), redirects are not followed (a 3xx is a failure), the whole exchange has a
 * deadline, and at most `maxResponseBytes` of the answer are read before the socket is dropped.
 * Connections are kept alive per checked address (see `agentFor`).
 */
import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { EndpointRefused, resolveTarget, type Resolve, type ResolvedAddress } from './endpoint.js';

/** An encrypted push as web-push's `generateRequestDetails` makes it. */
export interface PushRequest {
	endpoint: string;
	headers: Record<string, string | number>;
	body: Buffer | null;
	/** Whether the endpoint's host is in PUSH_ALLOWED_HOSTS (may be http: and private). */
	allowed: boolean;
	/** Aborts the request (shutdown). */
	signal?: AbortSignal;
}

/** What the push service answered. */
export interface PushAnswer {
	status: number;
	/** Retry-After in ms, when the service sent one we could read. */
	retryAfterMs: number | null;
}

/** Sends a push; resolves with the answer, rejects on refusal (EndpointRefused), timeout or network error. */
export interface Transport {
	(request: PushRequest): Promise<PushAnswer>;
	/** Closes kept-alive connections. */
	close?(): void;
}

/** Push service connections kept alive, each pool bound to one checked address; the least used past this are closed. */
const AGENTS_MAX = 64;
/** An idle kept-alive connection is closed after this. */
const IDLE_SOCKET_MS = 30_000;

/** What the transport needs. */
export interface TransportOptions {
	timeoutMs: number;
	maxResponseBytes: number;
	/** Name resolution (default: the system resolver, every address). */
	resolve?: Resolve;
	now?: () => number;
}

/** The system resolver: every address of a name. */
export const systemResolve: Resolve = async (hostname) =>
	(await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));

/** A `lookup` for http.request that answers only the address already checked. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
	return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
		if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
		else callback(null, target.address, target.family);
	}) as unknown as LookupFunction;
}

/** Reads Retry-After (seconds, or an HTTP date) as ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
	if (!value) return null;
	if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
	const at = Date.parse(value);
	return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The transport over node:http(s). */
export function createTransport(options: TransportOptions): Transport {
	const resolve = options.resolve ?? systemResolve;
	const now = options.now ?? Date.now;
	// Connections are kept alive (a TLS handshake per push cost more than the push), in one pool per
	// (scheme, name, checked address, port): a socket is reused only for the address it was checked for.
	const agents = new Map<string, http.Agent>();
	const agentFor = (url: URL, target: ResolvedAddress): http.Agent => {
		const key = `${url.protocol}//${url.hostname}@${target.address}:${url.port}`;
		let agent = agents.get(key);
		if (agent) agents.delete(key);
		else {
			const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
			agent = new Agent({ keepAlive: true, maxFreeSockets: 4, timeout: IDLE_SOCKET_MS });
			if (agents.size >= AGENTS_MAX) {
				const [oldest, old] = agents.entries().next().value!;
				agents.delete(oldest);
				old.destroy();
			}
		}
		agents.set(key, agent);
		return agent;
	};
	const transport: Transport = (request) =>
		new Promise<PushAnswer>((done, fail) => {
			let finished = false;
			let abort: (() => void) | null = null;
			const onAbort = () => finish(new Error('aborted'));
			/** `keep`: the answer was read to its end, so the connection may serve the next push. */
			const finish = (error: Error | null, answer?: PushAnswer, keep = false) => {
				if (finished) return;
				finished = true;
				clearTimeout(deadline);
				request.signal?.removeEventListener('abort', onAbort);
				if (!keep) abort?.();
				if (error) fail(error);
				else done(answer!);
			};
			// One deadline for everything: resolving, connecting, TLS, the answer.
			const deadline = setTimeout(() => finish(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
			if (request.signal?.aborted) return finish(new Error('aborted'));
			request.signal?.addEventListener('abort', onAbort);
			const url = new URL(request.endpoint);
			if (url.protocol !== 'https:' && !(request.allowed && url.protocol === 'http:'))
				return finish(new EndpointRefused(`${url.protocol} endpoints are not allowed`));
			resolveTarget(url, request.allowed, resolve).then((target) => {
				if (finished) return;
				const client = url.protocol === 'https:' ? https : http;
				const req = client.request(url, {
					method: 'POST',
					headers: request.headers,
					lookup: pinnedLookup(target),
					agent: agentFor(url, target)
				});
				abort = () => req.destroy();
				req.on('error', (error) => finish(error));
				req.on('response', (res) => {
					let read = 0;
					const answer = { status: res.statusCode ?? 0, retryAfterMs: parseRetryAfter(res.headers['retry-after'], now()) };
					res.on('data', (chunk: Buffer) => {
						read += chunk.length;
						// Enough: the status is what matters, and a hostile service could send forever.
						if (read >= options.maxResponseBytes) finish(null, answer);
					});
					res.on('end', () => finish(null, answer, true));
					res.on('error', () => finish(null, answer));
				});
				req.end(request.body ?? undefined);
			}, finish);
		});
	transport.close = () => {
		for (const agent of agents.values()) agent.destroy();
		agents.clear();
	};
	return transport;
}
