// Sticker packs over HTTP (docs/stickers.md): create, add real images (re-encoded by sharp to a
// 512 px WebP without metadata), refusals (wrong bytes 415, oversize 413, pixel bomb 413, someone
// else's pack 403, unknown 404, signed out 401), viewing and adding another's pack, the caps, the
// served image's inert headers, and the sweeper leaving sticker bytes alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { testDatabaseKind } from '../../helpers/database.js';
import { signUp, type TestUser } from '../../helpers/users.js';
import { fetchAs, pngBomb, startUploadServer, type UploadServer } from '../uploads/helpers.js';
import { sweepUploads } from '$lib/server/uploads/sweeper';
import { BUILTIN_PACK_ID, BUILTIN_STICKERS } from '$lib/stickers/builtin';

const SANDBOX = "default-src 'none'; sandbox";
/** Small caps for this file's server, so the limit cases stay cheap. */
const LIMITS = { stickersPerPackMax: 3, stickerPacksPerUserMax: 3, stickerAddedPacksPerUserMax: 1, stickerMaxBytes: 64 * 1024 };

describe(`stickers: personal packs (${testDatabaseKind()})`, () => {
	let ctx: UploadServer;
	let alice: TestUser, bob: TestUser, carol: TestUser;
	let origin: string;

	/** POSTs a sticker as multipart, as the app does. */
	const addSticker = (user: TestUser, packId: string, bytes: Uint8Array, fields: Record<string, string> = { name: 'Wave' }) => {
		const form = new FormData();
		for (const [key, value] of Object.entries(fields)) form.set(key, value);
		form.set('file', new Blob([bytes as BlobPart], { type: 'image/png' }), 'sticker.png');
		return user.client.request('POST', `/api/stickers/packs/${packId}/stickers`, { body: form, headers: { origin } });
	};
	const createPack = async (user: TestUser, title: string) => {
		const res = await user.client.post('/api/stickers/packs', { title }, { headers: { origin } });
		expect(res.status, JSON.stringify(res.data)).toBe(201);
		return res.data.pack as { id: string; title: string; own: boolean; stickers: unknown[] };
	};
	/** A PNG with an alpha channel and EXIF, larger than a sticker. */
	const photo = (width = 900, height = 600) =>
		sharp({ create: { width, height, channels: 4, background: { r: 30, g: 160, b: 90, alpha: 0.5 } } })
			.png()
			.withExif({ IFD0: { Copyright: 'secret-maker' } })
			.toBuffer();

	beforeAll(async () => {
		ctx = await startUploadServer({ limits: LIMITS });
		origin = ctx.server.origin;
		[alice, bob, carol] = await Promise.all([
			signUp(ctx.server.url, 'alice'),
			signUp(ctx.server.url, 'bob'),
			signUp(ctx.server.url, 'carol')
		]);
	});
	afterAll(() => ctx?.close());

	it('lists the built-in pack for everyone, with every sticker under a static URL', async () => {
		const res = await alice.client.get('/api/stickers/packs');
		expect(res.status).toBe(200);
		expect(res.data.packs).toHaveLength(1);
		const [builtin] = res.data.packs;
		expect(builtin).toMatchObject({ id: BUILTIN_PACK_ID, builtin: true, added: true, own: false, owner: null });
		expect(builtin.stickers.map((s: { id: string }) => s.id)).toEqual(BUILTIN_STICKERS.map((s) => s.id));
		expect(builtin.stickers[0].url).toBe(`/stickers/${BUILTIN_PACK_ID}/${BUILTIN_STICKERS[0]!.id}.svg`);
		const svg = await fetchAs(null, ctx.server, builtin.stickers[0].url);
		expect(svg.status).toBe(200);
		expect(new TextDecoder().decode(svg.bytes)).toMatch(/^<svg /);
	});

	it('creates a pack and adds a sticker: re-encoded to WebP within 512 px, no metadata, served inert to anyone signed in', async () => {
		const pack = await createPack(alice, 'Cats');
		expect(pack).toMatchObject({ title: 'Cats', own: true, stickers: [] });
		const res = await addSticker(alice, pack.id, await photo(), { name: 'Green cat', emoji: '🐱' });
		expect(res.status, JSON.stringify(res.data)).toBe(201);
		expect(res.data.sticker).toMatchObject({ name: 'Green cat', emoji: '🐱', url: `/api/stickers/${pack.id}/${res.data.sticker.id}` });

		const served = await fetchAs(bob, ctx.server, res.data.sticker.url);
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toBe('image/webp');
		expect(served.headers.get('x-content-type-options')).toBe('nosniff');
		expect(served.headers.get('content-security-policy')).toBe(SANDBOX);
		expect(served.headers.get('cache-control')).toMatch(/immutable/);
		const meta = await sharp(served.bytes).metadata();
		expect(meta).toMatchObject({ format: 'webp', width: 512, height: 341, hasAlpha: true });
		expect(meta.exif).toBeUndefined();
		expect(Buffer.from(served.bytes).includes('secret-maker')).toBe(false);
		const again = await fetchAs(bob, ctx.server, res.data.sticker.url, { 'if-none-match': served.headers.get('etag')! });
		expect(again.status).toBe(304);

		const mine = await alice.client.get('/api/stickers/packs');
		expect(mine.data.packs.map((p: { id: string }) => p.id)).toEqual([BUILTIN_PACK_ID, pack.id]);
		expect(mine.data.packs[1].stickers).toEqual([res.data.sticker]);

		// the bytes are in the uploads blob store (backups carry them), and a sweep leaves them there
		expect(await ctx.blobFiles()).toHaveLength(1);
		ctx.advance(ctx.server.parley.runtime.config.limits.uploadBlobGraceMs * 2);
		await sweepUploads(ctx.server.parley.runtime);
		expect(await ctx.blobFiles()).toHaveLength(1);
		expect((await fetchAs(carol, ctx.server, res.data.sticker.url)).status).toBe(200);
	});

	it('refuses bytes that are no image (415), an image over the byte limit (413), a pixel bomb (413), a missing name (400)', async () => {
		const pack = await createPack(alice, 'Refusals');
		const text = await addSticker(
			alice,
			pack.id,
			new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
		);
		expect(text.status).toBe(415);
		expect(text.data.error.code).toBe('unsupported_type');
		const big = await sharp(randomBytes(400 * 400 * 3), { raw: { width: 400, height: 400, channels: 3 } })
			.png()
			.toBuffer();
		expect(big.byteLength).toBeGreaterThan(LIMITS.stickerMaxBytes);
		const tooBig = await addSticker(alice, pack.id, big);
		expect(tooBig.status).toBe(413);
		expect(tooBig.data.error.code).toBe('too_large');
		const bomb = await addSticker(alice, pack.id, pngBomb(30_000));
		expect(bomb.status).toBe(413);
		const unnamed = await addSticker(alice, pack.id, await photo(20, 20), {});
		expect(unnamed.status).toBe(400);
		expect(unnamed.data.error.field).toBe('name');
		expect((await alice.client.get(`/api/stickers/packs/${pack.id}`)).data.pack.stickers).toEqual([]);
	});

	it('only the owner changes a pack (403); unknown packs and stickers are 404; signed out is 401', async () => {
		const pack = await createPack(alice, 'Mine');
		const { data } = await addSticker(alice, pack.id, await photo(40, 40));
		const sticker = data.sticker as { id: string; url: string };
		expect((await addSticker(bob, pack.id, await photo(40, 40))).status).toBe(403);
		expect(
			(await bob.client.request('DELETE', `/api/stickers/packs/${pack.id}/stickers/${sticker.id}`, { headers: { origin } })).status
		).toBe(403);
		expect((await bob.client.request('DELETE', `/api/stickers/packs/${pack.id}`, { headers: { origin } })).status).toBe(403);
		expect((await addSticker(bob, BUILTIN_PACK_ID, await photo(40, 40))).status).toBe(404);
		expect((await addSticker(alice, 'aaaaaaaaaaaaaaaaaaaaaaaa', await photo(40, 40))).status).toBe(404);
		expect((await bob.client.get('/api/stickers/packs/aaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
		expect((await bob.client.get('/api/stickers/packs/..%2F..')).status).toBe(404);
		expect((await fetchAs(bob, ctx.server, `/api/stickers/${pack.id}/aaaaaaaaaaaaaaaaaaaaaaaa`)).status).toBe(404);

		expect((await fetchAs(null, ctx.server, sticker.url)).status).toBe(401);
		expect((await fetchAs(null, ctx.server, '/api/stickers/packs')).status).toBe(401);
		const form = new FormData();
		form.set('name', 'x');
		form.set('file', new Blob([await photo(10, 10)]), 'x.png');
		const anonymous = await fetch(new URL(`/api/stickers/packs/${pack.id}/stickers`, ctx.server.url), {
			method: 'POST',
			body: form,
			headers: { origin }
		});
		expect(anonymous.status).toBe(401);

		// the owner removes the sticker, then the pack
		expect(
			(await alice.client.request('DELETE', `/api/stickers/packs/${pack.id}/stickers/${sticker.id}`, { headers: { origin } })).status
		).toBe(204);
		expect((await fetchAs(bob, ctx.server, sticker.url)).status).toBe(404);
		expect((await alice.client.request('DELETE', `/api/stickers/packs/${pack.id}`, { headers: { origin } })).status).toBe(204);
		expect((await alice.client.get(`/api/stickers/packs/${pack.id}`)).status).toBe(404);
	});

	it('anyone signed in views a pack by id and adds it to their picker (and removes it); it goes when the owner deletes it', async () => {
		const pack = await createPack(alice, 'Shared');
		const { data } = await addSticker(alice, pack.id, await photo(64, 64), { name: 'Hi' });
		const view = await carol.client.get(`/api/stickers/packs/${pack.id}`);
		expect(view.status).toBe(200);
		expect(view.data.pack).toMatchObject({
			id: pack.id,
			title: 'Shared',
			own: false,
			added: false,
			owner: { id: alice.id, displayName: 'alice' },
			stickers: [data.sticker]
		});
		const added = await carol.client.request('PUT', `/api/stickers/packs/${pack.id}/added`, { headers: { origin } });
		expect(added.status).toBe(200);
		expect(added.data.pack.added).toBe(true);
		const list = await carol.client.get('/api/stickers/packs');
		expect(list.data.packs.map((p: { id: string }) => p.id)).toEqual([BUILTIN_PACK_ID, pack.id]);
		expect(list.data.packs[1]).toMatchObject({ own: false, added: true });
		// adding again is fine; a second pack passes carol's cap of added packs
		expect((await carol.client.request('PUT', `/api/stickers/packs/${pack.id}/added`, { headers: { origin } })).status).toBe(200);
		const other = await createPack(bob, 'Bob’s');
		const over = await carol.client.request('PUT', `/api/stickers/packs/${other.id}/added`, { headers: { origin } });
		expect(over.status).toBe(409);
		expect(over.data.error.code).toBe('limit_reached');

		expect((await carol.client.request('DELETE', `/api/stickers/packs/${pack.id}/added`, { headers: { origin } })).status).toBe(204);
		expect((await carol.client.get('/api/stickers/packs')).data.packs).toHaveLength(1);
		expect((await carol.client.request('PUT', `/api/stickers/packs/${pack.id}/added`, { headers: { origin } })).status).toBe(200);
		expect((await alice.client.request('DELETE', `/api/stickers/packs/${pack.id}`, { headers: { origin } })).status).toBe(204);
		expect((await carol.client.get('/api/stickers/packs')).data.packs).toHaveLength(1);
	});

	it('caps stickers per pack and packs per person (409), and validates titles (400)', async () => {
		const dave = await signUp(ctx.server.url, 'dave');
		const pack = await createPack(dave, 'Full');
		for (let i = 0; i < LIMITS.stickersPerPackMax; i++) expect((await addSticker(dave, pack.id, await photo(8 + i, 8))).status).toBe(201);
		const over = await addSticker(dave, pack.id, await photo(30, 8));
		expect(over.status).toBe(409);
		expect(over.data.error.code).toBe('limit_reached');
		for (let i = 1; i < LIMITS.stickerPacksPerUserMax; i++) await createPack(dave, `P${i}`);
		const tooMany = await dave.client.post('/api/stickers/packs', { title: 'One more' }, { headers: { origin } });
		expect(tooMany.status).toBe(409);
		for (const title of ['', '   ', 'x'.repeat(65), 'a\u202Eb']) {
			const res = await dave.client.post('/api/stickers/packs', { title }, { headers: { origin } });
			expect(res.status, title).toBe(400);
			expect(res.data.error.field).toBe('title');
		}
	});
});
