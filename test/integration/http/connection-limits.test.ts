// Red-team follow-up to issue 8, item 4: one address opened 19 900 half-open sockets and exhausted
// the process's file descriptors. Now each address holds at most `httpMaxConnectionsPerAddress`
// sockets, a socket that sends no headers is closed after `httpHeadersTimeoutMs`, and the server's
// `maxConnections` stays `httpFdReserve` below the descriptor limit. Limits: docs/operations.md.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { testDatabaseKind } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { waitFor } from '../../helpers/sync.js';
import { fdLimit } from '../../../server/connection-limits.js';

const CAP = 6;

/** A raw TCP socket to the server that sends nothing; resolves once connected. */
function halfOpen(url: string): Promise<net.Socket & { ended: boolean }> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve, reject) => {
		const socket = net.connect(Number(port), hostname) as net.Socket & { ended: boolean };
		socket.ended = false;
		socket.on('close', () => (socket.ended = true));
		socket.on('data', () => {});
		socket.once('connect', () => resolve(socket));
		socket.once('error', reject);
	});
}

describe(`connection limits (${testDatabaseKind()})`, () => {
	let server: TestServer;
	const sockets: net.Socket[] = [];
	beforeAll(async () => {
		server = await startTestServer({
			overrides: { limits: { ...DEFAULT_LIMITS, httpMaxConnectionsPerAddress: CAP, httpHeadersTimeoutMs: 1_000 } }
		});
	});
	afterAll(async () => {
		for (const socket of sockets) socket.destroy();
		await server?.close();
	});

	it('closes sockets of one address past the cap at once, and takes new ones when some closed', async () => {
		const refusedBefore = server.parley.connections.perAddressRefusals;
		for (let i = 0; i < CAP + 4; i++) sockets.push(await halfOpen(server.url));
		const extra = sockets.slice(CAP) as Array<net.Socket & { ended: boolean }>;
		await waitFor(() => extra.every((s) => s.ended), { what: 'the sockets past the cap closed' });
		expect(server.parley.connections.perAddressRefusals - refusedBefore).toBe(4);
		// Those under the cap are open (until the headers timeout below).
		expect((sockets.slice(0, CAP) as Array<net.Socket & { ended: boolean }>).some((s) => s.ended)).toBe(false);
	});

	it('closes a socket that sends no headers after httpHeadersTimeoutMs; then the address is served again', async () => {
		const held = sockets.slice(0, CAP) as Array<net.Socket & { ended: boolean }>;
		await waitFor(() => held.every((s) => s.ended), { what: 'half-open sockets closed by the headers timeout', timeoutMs: 20_000 });
		const response = await fetch(`${server.url}/healthz`);
		expect(response.status).toBe(200);
	});

	it('keeps maxConnections below the descriptor limit with a reserve', () => {
		expect(
			fdLimit(() => 'Limit Soft Limit Hard Limit Units\nMax open files            20000                20000                files\n')
		).toBe(20000);
		expect(fdLimit(() => 'garbage')).toBe(1024);
		const limit = fdLimit();
		expect(server.parley.connections.maxConnections).toBe(Math.max(64, limit - DEFAULT_LIMITS.httpFdReserve));
	});
});
