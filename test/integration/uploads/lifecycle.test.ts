// Uploads over time: the same bytes stored once; envelopes may name only their conversation's
// uploads (R27, live relay); files no message needs any more are swept (message or conversation
// deleted), never those a pending message may still need.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { sweepUploads } from '$lib/server/uploads/sweeper';
import { testDatabaseKind } from '../../helpers/database.js';
import { clientPool, waitFor } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { fetchAs, images, startUploadServer, upload, type UploadServer } from './helpers.js';

type Upload = { id: string; url: string; mime: string; size: number; thumbUrl?: string };

describe(`uploads: storage, references and sweeping (${testDatabaseKind()})`, () => {
	let ctx: UploadServer;
	let alice: TestUser, bob: TestUser;
	let groupA: { id: string; docName: string }, groupB: { id: string; docName: string };
	const pool = clientPool(() => ctx.server.url);
	let envelopeCount = 0;

	const attachment = (u: Upload) => ({ id: u.id, url: u.url, mime: u.mime, size: u.size, ...(u.thumbUrl ? { thumbUrl: u.thumbUrl } : {}) });
	const envelope = (author: TestUser, uploads: Upload[], extra: Record<string, unknown> = {}) => ({
		id: `m${++envelopeCount}x${Date.now()}`,
		author: author.id,
		createdAt: Date.now(),
		text: 'caption',
		kind: 'media',
		attachments: uploads.map(attachment),
		...extra
	});
	const mirrored = async (docName: string, id: string) =>
		(
			await ctx.server.db.query<{ deleted: boolean }>(
				`select deleted_at is not null as deleted from messages where doc_name = $1 and id = $2`,
				[docName, id]
			)
		)[0];
	const uploadRow = async (id: string) => (await ctx.server.db.query(`select id from uploads where id = $1`, [id]))[0];
	const sweep = () => sweepUploads(ctx.server.parley.runtime);

	beforeAll(async () => {
		ctx = await startUploadServer();
		[alice, bob] = await Promise.all([signUp(ctx.server.url, 'alice'), signUp(ctx.server.url, 'bob')]);
		groupA = await createConversation(alice, { kind: 'group', title: 'A', memberIds: [bob.id] });
		groupB = await createConversation(alice, { kind: 'group', title: 'B', memberIds: [] });
	});
	afterAll(async () => {
		pool.destroyAll();
		await ctx?.close();
	});

	it('the same bytes are stored once, whoever sends them where', async () => {
		const png = await images.png();
		const before = await ctx.blobFiles();
		const first = (await upload(alice, groupA.id, png, 'one.png')).data.upload;
		const second = (await upload(bob, groupA.id, png, 'two.png')).data.upload;
		const third = (await upload(alice, groupB.id, png, 'three.png')).data.upload;
		expect(new Set([first.id, second.id, third.id]).size).toBe(3);
		// one served copy and one thumbnail, however many uploads
		expect((await ctx.blobFiles()).length - before.length).toBe(2);
		const a = await fetchAs(alice, ctx.server, first.url);
		const c = await fetchAs(alice, ctx.server, third.url);
		expect(a.headers.get('etag')).toBe(c.headers.get('etag'));
	});

	it("[R27] the relay refuses an envelope naming another conversation's upload, and accepts its own", async () => {
		// B's upload exists before A's document is loaded; A's upload is made while it is open
		const foreign: Upload = (await upload(alice, groupB.id, await images.webp(), 'b.webp')).data.upload;
		const client = pool.open(alice, groupA.docName);
		await client.synced();
		const own: Upload = (await upload(alice, groupA.id, await images.gif(), 'a.gif')).data.upload;
		const ok = envelope(alice, [own]);
		client.doc.getArray('messages').push([ok]);
		await waitFor(() => mirrored(groupA.docName, ok.id), { what: 'the envelope naming its own upload stored' });
		const message_uploads = await ctx.server.db.query(`select upload_id from message_uploads where doc_name = $1 and message_id = $2`, [
			groupA.docName,
			ok.id
		]);
		expect(message_uploads.map((r) => r.upload_id)).toEqual([own.id]);

		const refusedOnes = [
			envelope(alice, [foreign]),
			// A's upload id with B's URL, and a thumbnail from B
			envelope(alice, [{ ...own, url: foreign.url }]),
			envelope(alice, [{ ...own, thumbUrl: foreign.thumbUrl }])
		];
		for (const bad of refusedOnes) {
			const c = pool.open(alice, groupA.docName);
			await c.synced();
			c.doc.getArray('messages').push([bad]);
			await waitFor(() => c.denied.length > 0, { what: 'the refusal' });
			expect(c.denied[0]).toMatch(/^R27:/);
			expect(await mirrored(groupA.docName, bad.id)).toBeUndefined();
		}
	});

	it('a deleted message frees its upload at the next sweep; the file goes once no upload uses it', async () => {
		const bytes = new TextEncoder().encode(`report ${Math.random()}`);
		const up: Upload = (await upload(alice, groupA.id, bytes, 'r.txt')).data.upload;
		const client = pool.open(alice, groupA.docName);
		await client.synced();
		const message = envelope(alice, [up]);
		const messages = client.doc.getArray<{ id: string }>('messages');
		messages.push([message]);
		await waitFor(() => mirrored(groupA.docName, message.id), { what: 'message stored' });
		const filesBefore = await ctx.blobFiles();
		await sweep();
		expect(await uploadRow(up.id)).toBeDefined();

		messages.delete(
			messages.toArray().findIndex((m) => m.id === message.id),
			1
		);
		await waitFor(async () => (await mirrored(groupA.docName, message.id))?.deleted === true, { what: 'deletion mirrored' });
		await sweep();
		expect(await uploadRow(up.id)).toBeUndefined();
		expect((await fetchAs(alice, ctx.server, up.url)).status).toBe(404);
		// the file waits out the blob grace (an upload of the same bytes may be finishing), then goes
		expect(await ctx.blobFiles()).toEqual(filesBefore);
		ctx.advance(DEFAULT_LIMITS.uploadBlobGraceMs + 1000);
		await sweep();
		expect((await ctx.blobFiles()).length).toBe(filesBefore.length - 1);
	});

	it('an upload no message names yet is kept for the pending grace, then removed (and stale temporary files)', async () => {
		const stale = path.join(ctx.uploadsDir, 'tmp', 'left-by-a-crash.part');
		await fs.writeFile(stale, 'partial');
		const up: Upload = (await upload(alice, groupA.id, new TextEncoder().encode(`pending ${Math.random()}`), 'p.txt')).data.upload;
		await sweep();
		expect(await uploadRow(up.id)).toBeDefined();
		expect(await ctx.tmpFiles()).toContain('left-by-a-crash.part');
		ctx.advance(DEFAULT_LIMITS.uploadPendingGraceMs + DEFAULT_LIMITS.uploadBlobGraceMs + 1000);
		const files = (await ctx.blobFiles()).length;
		await sweep();
		expect(await uploadRow(up.id)).toBeUndefined();
		expect((await ctx.blobFiles()).length).toBeLessThan(files);
		expect(await ctx.tmpFiles()).not.toContain('left-by-a-crash.part');
	});

	it('deleting a conversation removes its files (bytes another conversation uses stay)', async () => {
		const shared = await images.avif();
		const only = new TextEncoder().encode(`only here ${Math.random()}`);
		const doomed = await createConversation(alice, { kind: 'group', title: 'Doomed', memberIds: [] });
		const inDoomed: Upload = (await upload(alice, doomed.id, shared, 's.avif')).data.upload;
		const alone: Upload = (await upload(alice, doomed.id, only, 'o.txt')).data.upload;
		const kept: Upload = (await upload(alice, groupB.id, shared, 's.avif')).data.upload;
		const etag = (await fetchAs(alice, ctx.server, alone.url)).headers.get('etag')!.replaceAll('"', '');
		expect(await ctx.blobFiles()).toContain(etag);
		expect((await alice.client.delete(`/api/conversations/${doomed.id}`)).status).toBe(204);
		ctx.advance(DEFAULT_LIMITS.uploadBlobGraceMs + 1000);
		await sweep();
		expect(await uploadRow(inDoomed.id)).toBeUndefined();
		expect(await ctx.blobFiles()).not.toContain(etag);
		const stillServed = await fetchAs(alice, ctx.server, kept.url);
		expect(stillServed.status).toBe(200);
		expect(await ctx.blobFiles()).toContain(stillServed.headers.get('etag')!.replaceAll('"', ''));
	});
});
