// Issue 21, item 1: a per-user storage quota (uploadQuotaBytes) and a server-wide free-disk floor
// (diskFreeFloorBytes). Past the quota an upload is refused with 413 `quota_exceeded` before its
// bytes are stored: by its declared length, or mid-stream where the room ends (the partial file
// removed). Under the floor every upload is refused with 507 `storage_full`, the admin's figures
// say the disk is low, and messages keep flowing. Usage shows in GET /api/me/storage, Settings and
// the admin's user list. Before: nothing but the rate limited uploads (about 6 GiB per account per
// 10 minutes), and every upload here past the quota answered 201.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../helpers/database.js';
import { waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { sendMessage } from '../admin/helpers.js';
import { startUploadServer, upload, type UploadServer } from './helpers.js';

const KIB = 1024;
const QUOTA = 300 * KIB;

describe(`uploads: storage quota and free-disk floor (${testDatabaseKind()})`, () => {
	let ctx: UploadServer;
	let admin: TestUser, alice: TestUser, bob: TestUser;
	let groupId: string, docName: string;
	const clients: SyncClient[] = [];

	beforeAll(async () => {
		ctx = await startUploadServer({ limits: { uploadQuotaBytes: QUOTA } });
		admin = await signUp(ctx.server.url, 'boss'); // the first account is the admin
		[alice, bob] = await Promise.all([signUp(ctx.server.url, 'alice'), signUp(ctx.server.url, 'bob')]);
		const group = await createConversation(alice, { kind: 'group', title: 'G', memberIds: [bob.id, admin.id] });
		groupId = group.id;
		docName = group.docName;
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await ctx?.close();
	});

	const storage = async (user: TestUser) => (await user.client.get('/api/me/storage')).data.storage;

	/** A chunked upload of `bytes` file bytes (no Content-Length): only the streaming limit can stop it. */
	async function streamed(user: TestUser, bytes: number) {
		const boundary = 'parleyquota';
		const head = new TextEncoder().encode(
			`--${boundary}\r\nContent-Disposition: form-data; name="conversationId"\r\n\r\n${groupId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`
		);
		const chunk = new Uint8Array(16 * KIB).fill(5);
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			start: (controller) => controller.enqueue(head),
			pull(controller) {
				if (sent >= bytes) return controller.close();
				sent += chunk.byteLength;
				controller.enqueue(chunk);
			}
		});
		const response = await fetch(new URL('/api/uploads', ctx.server.url), {
			method: 'POST',
			body,
			duplex: 'half',
			headers: {
				cookie: user.client.cookieHeader(),
				origin: ctx.server.origin,
				'content-type': `multipart/form-data; boundary=${boundary}`
			}
		} as RequestInit);
		return { status: response.status, body: await response.json() };
	}

	it('counts what a person uploaded (GET /api/me/storage) and refuses past the quota before storing: declared length, then mid-stream', async () => {
		expect(await storage(alice)).toEqual({ usedBytes: 0, quotaBytes: QUOTA });
		const first = await upload(alice, groupId, new Uint8Array(200 * KIB).fill(1), 'a.bin');
		expect(first.status).toBe(201);
		expect(await storage(alice)).toEqual({ usedBytes: 200 * KIB, quotaBytes: QUOTA });

		// Declared: 250 KiB do not fit the 100 KiB left (with the multipart framing allowed on top);
		// refused before a byte is read.
		const declared = await upload(alice, groupId, new Uint8Array(250 * KIB).fill(2), 'b.bin');
		expect(declared.status).toBe(413);
		expect(declared.data.error.code).toBe('quota_exceeded');
		expect(await ctx.tmpFiles()).toEqual([]);

		// Streamed with no length: cut where the room ends, the partial file removed.
		const cut = await streamed(alice, 400 * KIB);
		expect(cut.status).toBe(413);
		expect(cut.body.error.code).toBe('quota_exceeded');
		await waitFor(async () => (await ctx.tmpFiles()).length === 0, { what: 'the partial file removed' });

		// What fits is taken, to the byte; then nothing more.
		expect((await upload(alice, groupId, new Uint8Array(100 * KIB).fill(3), 'c.bin')).status).toBe(201);
		const full = await upload(alice, groupId, new Uint8Array(10).fill(4), 'd.bin');
		expect(full.status).toBe(413);
		expect(full.data.error.code).toBe('quota_exceeded');
		expect(await storage(alice)).toEqual({ usedBytes: QUOTA, quotaBytes: QUOTA });

		// Per person: Bob's own quota is untouched.
		expect((await upload(bob, groupId, new Uint8Array(50 * KIB).fill(6), 'e.bin')).status).toBe(201);
	});

	it('the admin sees each account’s usage; Settings shows mine', async () => {
		const res = await admin.client.get('/api/admin/users/search?q=');
		expect(res.status).toBe(200);
		const byId = Object.fromEntries((res.data.users as Array<{ id: string; storageBytes: number }>).map((u) => [u.id, u.storageBytes]));
		expect(byId).toMatchObject({ [alice.id]: QUOTA, [bob.id]: 50 * KIB, [admin.id]: 0 });
		const settings = await alice.client.request('GET', '/settings/profile');
		expect(settings.status).toBe(200);
		expect(String(settings.data)).toContain('data-section="storage"');
	});

	it('under the free-disk floor every upload is refused (507 storage_full), the admin’s figures say so, and messages keep flowing', async () => {
		const limits = ctx.server.parley.runtime.config.limits;
		const floor = limits.diskFreeFloorBytes;
		limits.diskFreeFloorBytes = Number.MAX_SAFE_INTEGER; // more than any disk has free
		try {
			const refused = await upload(bob, groupId, new Uint8Array(KIB).fill(7), 'f.bin');
			expect(refused.status).toBe(507);
			expect(refused.data.error.code).toBe('storage_full');
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
			expect(await ctx.tmpFiles()).toEqual([]);
			const stats = await admin.client.get('/api/admin/stats');
			expect(stats.status).toBe(200);
			expect(stats.data.disk).toMatchObject({ low: true, floorBytes: Number.MAX_SAFE_INTEGER });
			expect(stats.data.disk.freeBytes).toBeGreaterThan(0);
			// Messages are not uploads: written, committed and stored as ever.
			await sendMessage(ctx.server, bob, docName, 'still talking', clients);
		} finally {
			limits.diskFreeFloorBytes = floor;
		}
		expect((await admin.client.get('/api/admin/stats')).data.disk.low).toBe(false);
		expect((await upload(bob, groupId, new Uint8Array(KIB).fill(8), 'g.bin')).status).toBe(201);
	});
});
