// POST /api/uploads: every accepted type, typed by its bytes; images re-encoded without metadata.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { testDatabaseKind } from '../../helpers/database.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { bmp, fetchAs, images, media, startUploadServer, upload, type UploadServer } from './helpers.js';

describe(`uploads: accepted types (${testDatabaseKind()})`, () => {
	let ctx: UploadServer;
	let alice: TestUser;
	let groupId: string;

	beforeAll(async () => {
		ctx = await startUploadServer();
		alice = await signUp(ctx.server.url, 'alice');
		const bob = await signUp(ctx.server.url, 'bob');
		groupId = (await createConversation(alice, { kind: 'group', title: 'Media', memberIds: [bob.id] })).id;
	});
	afterAll(() => ctx?.close());

	const accepted = async (bytes: Uint8Array, name: string, claimed = 'application/octet-stream') => {
		const res = await upload(alice, groupId, bytes, name, claimed);
		expect(res.status, JSON.stringify(res.data)).toBe(201);
		return res.data.upload;
	};

	it('images: JPEG, PNG, WebP, AVIF with dimensions, a thumbnail and a blur placeholder', async () => {
		for (const [make, mime, w, h] of [
			[images.png, 'image/png', 5, 3],
			[images.webp, 'image/webp', 7, 2],
			[images.avif, 'image/avif', 4, 4]
		] as const) {
			const up = await accepted(await make(), `x.${mime.split('/')[1]}`);
			expect(up).toMatchObject({
				kind: 'image',
				mime,
				width: w,
				height: h,
				url: `/api/uploads/${up.id}`,
				thumbUrl: `/api/uploads/${up.id}/thumb`
			});
			expect(up.placeholder).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/);
			const thumb = await fetchAs(alice, ctx.server, up.thumbUrl);
			expect(thumb.status).toBe(200);
			expect(thumb.headers.get('content-type')).toBe('image/webp');
			expect((await sharp(thumb.bytes).metadata()).format).toBe('webp');
		}
	});

	it('a JPEG is served without its EXIF/GPS, turned as its orientation said', async () => {
		const original = await images.jpeg();
		expect((await sharp(original).metadata()).exif).toBeDefined();
		const up = await accepted(original, 'holiday.jpg', 'image/jpeg');
		// 6×4 stored with orientation 6 is a 4×6 picture
		expect(up).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 4, height: 6, name: 'holiday.jpg' });
		const served = await fetchAs(alice, ctx.server, up.url);
		expect(served.status).toBe(200);
		const meta = await sharp(served.bytes).metadata();
		expect(meta.exif).toBeUndefined();
		expect(meta.orientation ?? 1).toBe(1);
		expect([meta.width, meta.height]).toEqual([4, 6]);
		expect(up.size).toBe(served.bytes.byteLength);
	});

	it('animated GIF and WebP stay animated', async () => {
		for (const [make, format] of [
			[images.gif, 'gif'],
			[images.animatedWebp, 'webp']
		] as const) {
			const up = await accepted(await make(), `anim.${format}`);
			expect(up).toMatchObject({ kind: 'image', mime: `image/${format}`, width: 8, height: 6 });
			const served = await fetchAs(alice, ctx.server, up.url);
			const meta = await sharp(served.bytes, { animated: true }).metadata();
			expect(meta.format).toBe(format);
			expect(meta.pages).toBeGreaterThan(1);
		}
	});

	it('BMP is converted to PNG', async () => {
		const up = await accepted(bmp(), 'old.bmp', 'image/bmp');
		expect(up).toMatchObject({ kind: 'image', mime: 'image/png', width: 2, height: 2 });
		const served = await fetchAs(alice, ctx.server, up.url);
		expect((await sharp(served.bytes).metadata()).format).toBe('png');
	});

	it('video: MP4, WebM, MOV are video; AVI is a file (browsers cannot play it)', async () => {
		expect(await accepted(media.mp4(), 'a.mp4')).toMatchObject({ kind: 'video', mime: 'video/mp4' });
		expect(await accepted(media.webm(), 'a.webm')).toMatchObject({ kind: 'video', mime: 'video/webm' });
		expect(await accepted(media.mov(), 'a.mov')).toMatchObject({ kind: 'video', mime: 'video/quicktime' });
		const avi = await accepted(media.avi(), 'a.avi');
		expect(avi).toMatchObject({ kind: 'file', mime: 'video/vnd.avi' });
		expect((await fetchAs(alice, ctx.server, avi.url)).headers.get('content-disposition')).toMatch(/^attachment;/);
	});

	it('audio: Ogg/Opus, MP3, M4A, and WebM recorded as audio (a voice message)', async () => {
		expect(await accepted(media.oggOpus(), 'v.ogg')).toMatchObject({ kind: 'audio', mime: 'audio/ogg' });
		expect(await accepted(media.mp3(), 's.mp3')).toMatchObject({ kind: 'audio', mime: 'audio/mpeg' });
		expect(await accepted(media.m4a(), 's.m4a')).toMatchObject({ kind: 'audio', mime: 'audio/x-m4a' });
		expect(await accepted(media.webm(), 'voice.webm', 'audio/webm;codecs=opus')).toMatchObject({ kind: 'audio', mime: 'audio/webm' });
		// the claim may only pick the audio reading of the same container, never another type
		expect(await accepted(media.pdf(), 'x.ogg', 'audio/ogg')).toMatchObject({ kind: 'file', mime: 'application/pdf' });
	});

	it('documents: PDF, ZIP and unknown bytes are files, served only as downloads', async () => {
		const pdf = await accepted(media.pdf(), 'report.pdf');
		expect(pdf).toMatchObject({ kind: 'file', mime: 'application/pdf', name: 'report.pdf' });
		expect(await accepted(media.zip(), 'a.zip')).toMatchObject({ kind: 'file', mime: 'application/zip' });
		const unknown = await accepted(new TextEncoder().encode('plain words'), 'notes.txt', 'text/plain');
		expect(unknown).toMatchObject({ kind: 'file', mime: 'application/octet-stream' });
		const served = await fetchAs(alice, ctx.server, pdf.url);
		expect(served.headers.get('content-disposition')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
		expect(served.headers.get('content-type')).toBe('application/pdf');
	});
});
