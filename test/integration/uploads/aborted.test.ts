// A client that goes away mid-upload (a cancelled XHR, a phone losing its network) must cost the
// server nothing but that request: no uncaught error, no temporary file left. The dangerous moment
// is after the file part's headers arrived and before the membership check answered: the file's
// stream exists but nothing reads it yet, and an abort then errors it.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../helpers/database.js';
import { waitFor } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { startUploadServer, type UploadServer } from './helpers.js';

/** Attempts: the abort lands at slightly different moments of the request each time. */
const ATTEMPTS = 40;

describe(`uploads cut off by the client (${testDatabaseKind()})`, () => {
	let ctx: UploadServer;
	let alice: TestUser;
	let groupId = '';
	const uncaught: unknown[] = [];
	const record = (error: unknown) => uncaught.push(error);

	beforeAll(async () => {
		ctx = await startUploadServer();
		alice = await signUp(ctx.server.url, 'alice');
		groupId = (await createConversation(alice, { kind: 'group', title: 'Cut', memberIds: [] })).id;
		process.on('uncaughtException', record);
	});
	afterAll(async () => {
		process.off('uncaughtException', record);
		await ctx?.close();
	});

	/** Sends the form's start (field, file part headers, `bytes` of the file), then drops the socket after `delayMs`. */
	function cutOff(bytes: number, delayMs: number): Promise<void> {
		const { hostname, port } = new URL(ctx.server.url);
		const boundary = 'parleyboundary';
		const head =
			`--${boundary}\r\nContent-Disposition: form-data; name="conversationId"\r\n\r\n${groupId}\r\n` +
			`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
		const part = Buffer.concat([Buffer.from(head), Buffer.alloc(bytes, 1)]);
		return new Promise((resolve) => {
			const socket = net.connect(Number(port), hostname, () => {
				socket.write(
					`POST /api/uploads HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${ctx.server.origin}\r\n` +
						`Cookie: ${alice.client.cookieHeader()}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
						`Transfer-Encoding: chunked\r\n\r\n${part.byteLength.toString(16)}\r\n`
				);
				socket.write(part);
				socket.write('\r\n');
				setTimeout(() => socket.destroy(), delayMs);
			});
			socket.on('error', () => {});
			socket.on('close', () => resolve());
		});
	}

	it('an upload dropped at any moment leaves no uncaught error and no temporary file; the server goes on', async () => {
		for (let i = 0; i < ATTEMPTS; i++) await cutOff((i % 4) * 4096, i);
		await waitFor(async () => (await ctx.tmpFiles()).length === 0, { what: 'no temporary file left' });
		expect(uncaught).toEqual([]);
		const health = await fetch(new URL('/healthz', ctx.server.url));
		expect(health.status).toBe(200);
	});
});
