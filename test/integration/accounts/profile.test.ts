// Avatars (typed by bytes, square WebP, metadata stripped) and privacy settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { registerUser } from './helpers.js';

/** A JPEG with EXIF (camera and GPS-like comment) that must not survive. */
async function photoWithExif(width: number, height: number): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
		.jpeg()
		.withExif({ IFD0: { Make: 'SecretCam', Copyright: 'GPS 59.93N 30.31E' } })
		.toBuffer();
}

describe(`profile: avatar and privacy (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let client: TestClient;
	beforeAll(async () => {
		server = await startTestServer();
		client = (await registerUser(server, 'pia')).client;
		// Multipart bodies are form posts to SvelteKit: they must name the public origin, as a browser's do.
		client.headers.origin = server.origin;
	});
	afterAll(() => server?.close());

	it('stores an uploaded photo as a square WebP without metadata, served with its type', async () => {
		const jpeg = await photoWithExif(640, 400);
		const form = new FormData();
		// The declared type lies; the bytes decide.
		form.set('file', new Blob([new Uint8Array(jpeg)], { type: 'text/html' }), 'me.html');
		const res = await client.request('PUT', '/api/me/avatar', { body: form });
		expect(res.status).toBe(200);
		const url: string = res.data.user.avatarUrl;
		expect(url).toMatch(/^\/api\/avatars\/[a-z2-7]{24}$/);
		expect((await client.get('/api/me')).data.user.avatarUrl).toBe(url);

		const image = await fetch(new URL(url, server.url), { headers: { cookie: client.cookieHeader() } });
		expect(image.status).toBe(200);
		expect(image.headers.get('content-type')).toBe('image/webp');
		expect(image.headers.get('x-content-type-options')).toBe('nosniff');
		const bytes = Buffer.from(await image.arrayBuffer());
		const meta = await sharp(bytes).metadata();
		expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
		expect(meta.exif).toBeUndefined();
		expect(bytes.includes(Buffer.from('SecretCam'))).toBe(false);
		expect((await new TestClient(server.url).get(url)).status).toBe(401);
	});

	it('takes raw image bytes too, and replaces the previous avatar', async () => {
		const before = (await client.get('/api/me')).data.user.avatarUrl;
		const png = await sharp({ create: { width: 50, height: 80, channels: 4, background: '#00f8' } })
			.png()
			.toBuffer();
		const res = await client.request('PUT', '/api/me/avatar', { body: new Uint8Array(png), headers: { 'content-type': 'image/png' } });
		expect(res.status).toBe(200);
		expect(res.data.user.avatarUrl).not.toBe(before);
		expect((await client.get(before)).status).toBe(404);
	});

	it('refuses what is not an image (415), an empty upload (400) and an oversized one (413)', async () => {
		const notImage = await client.request('PUT', '/api/me/avatar', {
			body: new TextEncoder().encode('<svg onload="alert(1)"></svg>'),
			headers: { 'content-type': 'image/png' }
		});
		expect(notImage.status).toBe(415);
		expect(notImage.data.error.message).toMatch(/^file:/);
		const empty = await client.request('PUT', '/api/me/avatar', { body: new FormData() });
		expect(empty.status).toBe(400);
		const big = new Uint8Array(server.config.limits.avatarMaxBytes + 1);
		expect((await client.request('PUT', '/api/me/avatar', { body: big, headers: { 'content-type': 'image/jpeg' } })).status).toBe(413);
		expect((await new TestClient(server.url).request('PUT', '/api/me/avatar', { body: big })).status).toBe(401);
	});

	it('removes the avatar', async () => {
		expect((await client.delete('/api/me/avatar')).status).toBe(204);
		expect((await client.get('/api/me')).data.user.avatarUrl).toBeUndefined();
	});

	it('privacy settings default to open and change one at a time', async () => {
		const initial = await client.get('/api/me/privacy');
		expect(initial.status).toBe(200);
		expect(initial.data).toEqual({
			privacy: { allowConversationsFrom: 'everyone', lastSeenVisibleTo: 'everyone', readReceipts: true, findableBy: 'everyone' }
		});
		const changed = await client.patch('/api/me/privacy', { lastSeenVisibleTo: 'nobody', readReceipts: false, findableBy: 'contacts' });
		expect(changed.status).toBe(200);
		expect(changed.data.privacy).toEqual({
			allowConversationsFrom: 'everyone',
			lastSeenVisibleTo: 'nobody',
			readReceipts: false,
			findableBy: 'contacts'
		});
		expect((await client.patch('/api/me/privacy', { allowConversationsFrom: 'contacts' })).data.privacy.allowConversationsFrom).toBe(
			'contacts'
		);
		const bad = await client.patch('/api/me/privacy', { lastSeenVisibleTo: 'aliens' });
		expect(bad.status).toBe(400);
		expect(bad.data.error.message).toMatch(/^lastSeenVisibleTo:/);
		expect((await client.patch('/api/me/privacy', { readReceipt: false })).status).toBe(400);
		expect((await new TestClient(server.url).get('/api/me/privacy')).status).toBe(401);
		expect((await client.get('/api/me/privacy')).data.privacy.lastSeenVisibleTo).toBe('nobody');
	});
});
