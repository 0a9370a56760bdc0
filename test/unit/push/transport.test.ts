// The push transport against hostile answers (src/lib/server/push/transport.ts): redirects are not
// followed, an endless answer is read only up to the cap, a silent one hits the deadline, the
// socket goes to the resolved and checked address only, and connections are reused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, parseRetryAfter } from '$lib/server/push/transport';
import { EndpointRefused } from '$lib/server/push/endpoint';
import { classifyStatus } from '$lib/server/push/send';

describe('push transport', () => {
	let server: http.Server;
	let base: string;
	const hits: string[] = [];
	const sockets = new Set<unknown>();
	beforeAll(async () => {
		server = http.createServer((req, res) => {
			hits.push(req.url!);
			sockets.add(req.socket);
			req.resume();
			if (req.url === '/redirect') return void res.writeHead(301, { location: '/elsewhere' }).end();
			if (req.url === '/endless') {
				res.writeHead(201);
				const chunk = Buffer.alloc(1024, 'x');
				const pump = () => {
					while (res.write(chunk));
				};
				res.on('drain', pump);
				pump();
				return;
			}
			if (req.url === '/silent') return;
			res.writeHead(429, { 'retry-after': '7' }).end('slow down');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://push.test:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});
	const transport = createTransport({ timeoutMs: 300, maxResponseBytes: 4096, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
	const send = (path: string, allowed = true) =>
		transport({ endpoint: base + path, headers: { TTL: 60 }, body: Buffer.from('x'), allowed });

	it('does not follow a redirect: a 3xx is a failure', async () => {
		const answer = await send('/redirect');
		expect(answer.status).toBe(301);
		expect(classifyStatus(answer.status, answer.retryAfterMs).kind).toBe('failed');
		expect(hits).not.toContain('/elsewhere');
	});

	it('reads at most maxResponseBytes of an endless answer', async () => {
		const answer = await send('/endless');
		expect(answer.status).toBe(201);
	});

	it('gives up on a service that never answers, at the deadline', async () => {
		const started = Date.now();
		await expect(send('/silent')).rejects.toThrow(/no answer within 300 ms/);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('reads Retry-After and keeps the connection for the next push', async () => {
		sockets.clear();
		const first = await send('/busy');
		expect(first).toEqual({ status: 429, retryAfterMs: 7000 });
		expect(classifyStatus(first.status, first.retryAfterMs)).toMatchObject({ kind: 'retry', afterMs: 7000 });
		await send('/busy');
		expect(sockets.size).toBe(1);
		expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString(), Date.now())).toBeGreaterThan(58_000);
		expect(parseRetryAfter('soon', 0)).toBeNull();
	});

	it('refuses http: and inside addresses for hosts that are not allowed, without connecting', async () => {
		const before = hits.length;
		await expect(send('/busy', false)).rejects.toBeInstanceOf(EndpointRefused);
		const https = createTransport({ timeoutMs: 300, maxResponseBytes: 10, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
		await expect(https({ endpoint: 'https://push.test/x', headers: {}, body: null, allowed: false })).rejects.toBeInstanceOf(
			EndpointRefused
		);
		expect(hits.length).toBe(before);
		transport.close?.();
	});
});
