// Red-team follow-up to issue 8, item 6: image conversions (upload thumbnails, avatars) go through
// one bounded queue (imageWorkConcurrency, imageWorkMaxQueued: 503 `busy` past it), uploads and
// avatar changes are rate-limited per user (rateUploadMax, rateAvatarMax: 429), and a stranger's
// conversation picture is refused before its bytes are decoded. Limits: docs/uploads.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../helpers/database.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { images, startUploadServer, upload, type UploadServer } from './helpers.js';

describe(`uploads: bounded image work and rates (${testDatabaseKind()})`, () => {
	let ctx: UploadServer;
	let alice: TestUser, bob: TestUser, stranger: TestUser;
	let groupId: string;

	beforeAll(async () => {
		ctx = await startUploadServer({ limits: { rateUploadMax: 4, rateAvatarMax: 2 } });
		[alice, bob, stranger] = await Promise.all([
			signUp(ctx.server.url, 'alice'),
			signUp(ctx.server.url, 'bob'),
			signUp(ctx.server.url, 'stranger')
		]);
		groupId = (await createConversation(alice, { kind: 'group', title: 'G', memberIds: [bob.id] })).id;
	});
	afterAll(() => ctx?.close());

	it('an image upload finding the image queue full answers 503 busy with Retry-After; a file needing no conversion still passes', async () => {
		const { imageWork } = ctx.server.parley.runtime;
		const { concurrency, maxQueued } = imageWork.limits;
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const held = Array.from({ length: concurrency + maxQueued }, () => imageWork.run(() => gate));
		try {
			expect(imageWork.load).toEqual({ running: concurrency, waiting: maxQueued });
			const busy = await upload(bob, groupId, await images.png(), 'a.png', 'image/png');
			expect(busy.status).toBe(503);
			expect(busy.data.error.code).toBe('busy');
			expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
			const plain = await upload(bob, groupId, new TextEncoder().encode('notes'), 'notes.txt', 'text/plain');
			expect(plain.status).toBe(201);
		} finally {
			release();
			await Promise.all(held);
		}
		expect((await upload(bob, groupId, await images.png(), 'b.png', 'image/png')).status).toBe(201);
	});

	it('uploads are rate-limited per user (429 with Retry-After); another user is not affected', async () => {
		// bob used 3 of his 4 above
		expect((await upload(bob, groupId, new Uint8Array([1, 2, 3]))).status).toBe(201);
		const limited = await upload(bob, groupId, new Uint8Array([1, 2, 3]));
		expect(limited.status).toBe(429);
		expect(limited.data.error.code).toBe('rate_limited');
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await upload(alice, groupId, new Uint8Array([1, 2, 3]))).status).toBe(201);
	});

	it('a stranger’s conversation picture is refused (404) before any image work; avatar changes are rate-limited', async () => {
		const png = await images.png();
		const asStranger = await stranger.client.request('PUT', `/api/conversations/${groupId}/avatar`, {
			body: png,
			headers: { 'content-type': 'image/png' }
		});
		expect(asStranger.status).toBe(404);
		for (let i = 0; i < 2; i++)
			expect((await alice.client.request('PUT', '/api/me/avatar', { body: png, headers: { 'content-type': 'image/png' } })).status).toBe(
				200
			);
		const limited = await alice.client.request('PUT', '/api/me/avatar', { body: png, headers: { 'content-type': 'image/png' } });
		expect(limited.status).toBe(429);
		expect(limited.data.error.code).toBe('rate_limited');
	});
});
