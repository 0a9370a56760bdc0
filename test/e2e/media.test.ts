// Photos, videos, audio and files in the chat (issue 11, display side) and the service worker's
// media cache, in Debian's Chromium against a real server. The media messages are made without
// the UI: files uploaded over HTTP as the sender (images by sharp, a WAV written here, a WebM
// recorded in Chromium by MediaRecorder), envelopes appended by a stock y-websocket client.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, launchPersistent } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { connectClient, waitFor, type SyncClient } from '../helpers/sync.js';
import { appendMessage } from '$lib/sync/doc-ops';
import type { Attachment } from '$lib/sync/schema';
import { MEDIA_CACHE, MEDIA_INDEX_CACHE } from '$lib/client/pwa/cache-names';
import { axeViolations, signInWithCookie } from './ui.js';

/** An upload's answer (docs/uploads.md). */
interface Upload extends Attachment {
	kind: string;
}

/** Two seconds of a 440 Hz tone, louder towards the end, as 8 kHz 16-bit mono WAV. */
function wavTone(seconds = 2, rate = 8000): Uint8Array {
	const samples = seconds * rate;
	const buffer = Buffer.alloc(44 + samples * 2);
	buffer.write('RIFF', 0);
	buffer.writeUInt32LE(36 + samples * 2, 4);
	buffer.write('WAVEfmt ', 8);
	buffer.writeUInt32LE(16, 16);
	buffer.writeUInt16LE(1, 20); // PCM
	buffer.writeUInt16LE(1, 22); // mono
	buffer.writeUInt32LE(rate, 24);
	buffer.writeUInt32LE(rate * 2, 28);
	buffer.writeUInt16LE(2, 32);
	buffer.writeUInt16LE(16, 34);
	buffer.write('data', 36);
	buffer.writeUInt32LE(samples * 2, 40);
	for (let i = 0; i < samples; i++) {
		const loudness = 0.1 + (0.8 * i) / samples;
		buffer.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * loudness * 32767), 44 + i * 2);
	}
	return buffer;
}

/** A short WebM video recorded in Chromium from an animated canvas (nothing downloaded). */
async function recordWebm(browser: Browser): Promise<Uint8Array> {
	const page = await browser.newPage();
	const base64 = await page.evaluate(async () => {
		const canvas = document.createElement('canvas');
		canvas.width = 160;
		canvas.height = 90;
		const g = canvas.getContext('2d')!;
		const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
		const chunks: Blob[] = [];
		recorder.ondataavailable = (event) => chunks.push(event.data);
		const stopped = new Promise((resolve) => (recorder.onstop = resolve));
		recorder.start();
		const started = performance.now();
		await new Promise<void>((resolve) => {
			const frame = () => {
				const t = performance.now() - started;
				g.fillStyle = `hsl(${t / 10}, 80%, 50%)`;
				g.fillRect(0, 0, 160, 90);
				if (t < 1500) requestAnimationFrame(frame);
				else resolve();
			};
			frame();
		});
		recorder.stop();
		await stopped;
		const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
		let binary = '';
		for (const byte of bytes) binary += String.fromCharCode(byte);
		return btoa(binary);
	});
	await page.close();
	return Buffer.from(base64, 'base64');
}

/** A PDF-looking file of exactly `size` bytes (its magic bytes are enough for the server's type detection). */
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size - 9, 0x20)]);

describe.skipIf(!chromiumAvailable())('media in the chat', () => {
	let server: TestServer;
	let dataDir: string;
	let browser: Browser;
	let alice: TestUser;
	let bob: TestUser;
	let conversationId = '';
	let sender: SyncClient;
	const ids = {
		first: 'media-first',
		second: 'media-second',
		video: 'media-video',
		audio: 'media-audio',
		file: 'media-file',
		forged: 'media-forged'
	};
	let wide: Upload; // 400×300
	let tall: Upload; // 200×400
	let poster: Upload;
	let fileUpload: Upload;
	let videoUpload: Upload;

	async function upload(bytes: Uint8Array, name: string, type: string): Promise<Upload> {
		const form = new FormData();
		form.set('conversationId', conversationId);
		form.set('file', new Blob([bytes as BlobPart], { type }), name);
		const res = await alice.client.request('POST', '/api/uploads', { body: form, headers: { origin: server.origin } });
		expect(res.status, JSON.stringify(res.data)).toBe(201);
		return res.data.upload as Upload;
	}

	/** The attachment fields of an upload's answer (the envelope takes no others). */
	const attachment = ({ kind: _kind, ...fields }: Upload, extra: Partial<Attachment> = {}): Attachment => ({ ...fields, ...extra });

	function post(id: string, attachments: Attachment[], text = '') {
		appendMessage(sender.doc, { id, author: alice.id, createdAt: Date.now(), text, kind: 'media', attachments });
	}

	beforeAll(async () => {
		dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-media-e2e-'));
		server = await startTestServer({ env: { DATA_DIR: dataDir } });
		browser = await launchBrowser();
		alice = await signUp(server.url, 'Alice');
		bob = await signUp(server.url, 'Bob');
		const conversation = await createConversation(alice, { kind: 'direct', userId: bob.id });
		conversationId = conversation.id;

		const solid = (width: number, height: number, r: number, g: number, b: number) =>
			sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
				.png()
				.toBuffer();
		wide = await upload(await solid(400, 300, 220, 40, 40), 'wide.png', 'image/png');
		tall = await upload(await solid(200, 400, 40, 40, 220), 'tall.png', 'image/png');
		poster = await upload(await solid(160, 90, 20, 160, 20), 'poster.png', 'image/png');
		const video = (videoUpload = await upload(await recordWebm(browser), 'clip.webm', 'video/webm'));
		const audio = await upload(wavTone(), 'voice.wav', 'audio/wav');
		fileUpload = await upload(pdf(1536), 'report.pdf', 'application/pdf');
		expect([wide.kind, video.kind, audio.kind, fileUpload.kind]).toEqual(['image', 'video', 'audio', 'file']);
		expect(wide.placeholder).toMatch(/^data:image\//);

		sender = connectClient({ url: server.url, docName: conversation.docName, cookie: alice.cookie });
		await sender.synced();
		post(ids.first, [attachment(wide)], 'the wide one');
		post(ids.second, [attachment(tall)]);
		post(ids.video, [attachment(video, { thumbUrl: poster.thumbUrl, width: 160, height: 90, duration: 2 })]);
		post(ids.audio, [attachment(audio, { duration: 2 })]);
		post(ids.file, [attachment(fileUpload)]);
		// Issue 21 item 12: a Windows program uploaded as "report.pdf", and a message that calls it "invoice.pdf".
		const program = await upload(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0)]), 'report.pdf', 'application/pdf');
		post(ids.forged, [attachment(program, { name: 'invoice.pdf', mime: 'application/pdf' })]);
		// Accepted and stored: the relay sends nothing back on refusal but a permission-denied.
		await waitFor(
			async () =>
				(await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE id LIKE $1', ['media-%']))[0]!.n === 6,
			{
				what: 'the media messages stored'
			}
		);
		expect(sender.denied).toEqual([]);
	}, 60_000);
	afterAll(async () => {
		sender?.destroy();
		await browser?.close();
		await server?.close();
		if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
	});

	/** Bob's page on the conversation; the service worker is kept out unless asked (page.route sees every request then). */
	async function openChat(options: { locale?: string; theme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext; page: Page }> {
		const theme = options.theme ?? 'light';
		const context = await browser.newContext({ locale: options.locale ?? 'en-US', colorScheme: theme, serviceWorkers: 'block' });
		await context.addCookies([{ name: 'parley-theme', value: theme, url: server.origin }]);
		await signInWithCookie(context, server.origin, bob);
		const page = await context.newPage();
		return { context, page };
	}

	const row = (page: Page, id: string): Locator => page.locator(`[data-message-id="${id}"]`);

	it('shows a picture at its aspect ratio, the placeholder first; the lightbox moves, zooms, downloads and closes', async () => {
		const { context, page } = await openChat();
		// Hold the first thumbnail back so that the placeholder can be seen before it.
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route(`**${wide.thumbUrl}`, async (route) => {
			await held;
			await route.continue();
		});
		await page.goto(`${server.origin}/c/${conversationId}`);

		const cell = row(page, ids.first).locator('[data-media-kind="image"]');
		await cell.waitFor();
		const box = (await cell.boundingBox())!;
		expect(box.width / box.height).toBeCloseTo(400 / 300, 1);
		const placeholder = cell.locator('img.placeholder');
		await expect(placeholder.getAttribute('src')).resolves.toBe(wide.placeholder);
		await expect(placeholder.isVisible()).resolves.toBe(true);
		const picture = cell.locator('img.picture');
		await expect(picture.evaluate((img) => img.classList.contains('loaded'))).resolves.toBe(false);
		release();
		await cell.locator('img.picture.loaded').waitFor();
		await expect(picture.evaluate((img: HTMLImageElement) => img.naturalWidth > 0)).resolves.toBe(true);
		// The tall one keeps its own ratio.
		const tallBox = (await row(page, ids.second).locator('[data-media-kind="image"]').boundingBox())!;
		expect(tallBox.width / tallBox.height).toBeCloseTo(200 / 400, 1);

		const opener = page.getByRole('button', { name: 'Open photo wide.png' });
		await opener.click();
		const viewer = page.getByRole('dialog', { name: 'Photo viewer' });
		await viewer.waitFor();
		const shown = viewer.getByRole('img');
		await expect(shown.getAttribute('src')).resolves.toBe(wide.url);
		await viewer.getByText('1 of 2').waitFor();
		const download = viewer.getByRole('link', { name: 'Download' });
		await expect(download.getAttribute('href')).resolves.toBe(wide.url);
		await expect(download.getAttribute('download')).resolves.toBe('wide.png');
		expect(await axeViolations(page), 'lightbox, English light').toEqual([]);

		await page.keyboard.press('ArrowRight');
		await viewer.getByText('2 of 2').waitFor();
		await expect(shown.getAttribute('src')).resolves.toBe(tall.url);
		await expect(viewer.getByRole('button', { name: 'Next' }).isDisabled()).resolves.toBe(true);
		await viewer.getByRole('button', { name: 'Previous' }).click();
		await viewer.getByText('1 of 2').waitFor();
		await expect(shown.getAttribute('src')).resolves.toBe(wide.url);

		// Zoom: the button, then the keyboard back down.
		const fitted = (await shown.boundingBox())!.width;
		await viewer.getByRole('button', { name: 'Zoom in' }).click();
		await expect.poll(async () => (await shown.boundingBox())!.width).toBeCloseTo(fitted * 1.5, 0);
		await page.keyboard.press('-');
		await expect.poll(async () => (await shown.boundingBox())!.width).toBeCloseTo(fitted, 0);

		// Focus stays inside the modal dialog (the page behind is inert).
		for (let i = 0; i < 8; i++) {
			await page.keyboard.press('Tab');
			await expect(viewer.evaluate((dialog) => dialog.contains(document.activeElement))).resolves.toBe(true);
		}

		await page.keyboard.press('Escape');
		await viewer.waitFor({ state: 'detached' });
		await expect(opener.evaluate((el) => el === document.activeElement)).resolves.toBe(true);

		// A click outside the picture closes it too.
		await opener.click();
		await viewer.waitFor();
		await viewer.click({ position: { x: 5, y: (await viewer.boundingBox())!.height - 5 } });
		await viewer.waitFor({ state: 'detached' });
		await context.close();
	});

	it('shows a video with its poster and length, not playing until asked; then it plays', async () => {
		const { context, page } = await openChat();
		await page.goto(`${server.origin}/c/${conversationId}`);
		const video = row(page, ids.video).locator('video');
		await video.waitFor();
		await expect(video.getAttribute('poster')).resolves.toBe(poster.thumbUrl);
		await expect(video.getAttribute('preload')).resolves.toBe('metadata');
		await row(page, ids.video).getByText('0:02', { exact: true }).waitFor();
		await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
		await expect(
			video.evaluate((v: HTMLVideoElement) => ({ autoplay: v.autoplay, paused: v.paused, time: v.currentTime }))
		).resolves.toEqual({
			autoplay: false,
			paused: true,
			time: 0
		});
		// The native controls: focus the video and press Space, as a keyboard user does (a real user gesture).
		await video.focus();
		await page.keyboard.press('Space');
		await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.2);
		await context.close();
	});

	it('plays an audio message, draws its waveform and changes speed', async () => {
		const { context, page } = await openChat();
		await page.goto(`${server.origin}/c/${conversationId}`);
		const player = page.getByRole('group', { name: 'Audio voice.wav' });
		await player.waitFor();
		await player.getByText('0:00 / 0:02').waitFor();
		// The waveform was decoded in the browser: 48 bars, the tone louder at the end than the start.
		await expect.poll(() => player.locator('.bar').count()).toBe(48);
		const heights = await player.locator('.bar').evaluateAll((bars) => bars.map((bar) => parseFloat((bar as HTMLElement).style.height)));
		expect(heights.at(-1)!).toBeGreaterThan(heights[0]! * 3);

		const audio = player.locator('audio');
		await player.getByRole('button', { name: 'Play', exact: true }).click();
		await player.getByRole('button', { name: 'Pause', exact: true }).waitFor();
		await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.1);

		const speed = player.getByRole('button', { name: /Playback speed/ });
		await expect(speed.textContent()).resolves.toContain('1×');
		await speed.click();
		await expect(speed.textContent()).resolves.toContain('1.5×');
		await expect(audio.evaluate((a: HTMLAudioElement) => a.playbackRate)).resolves.toBe(1.5);
		await speed.click();
		await expect(audio.evaluate((a: HTMLAudioElement) => a.playbackRate)).resolves.toBe(2);
		await context.close();
	});

	it('shows a file as a card with its name and size, and downloads it', async () => {
		const { context, page } = await openChat();
		await page.goto(`${server.origin}/c/${conversationId}`);
		const card = row(page, ids.file).locator('[data-media-kind="file"]');
		await card.getByText('report.pdf').waitFor();
		await card.getByText('1.5 kB · PDF').waitFor();
		const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download report.pdf' }).click()]);
		expect(download.suggestedFilename()).toBe('report.pdf');
		const saved = await download.path();
		await expect(fs.stat(saved).then((s) => s.size)).resolves.toBe(1536);
		await context.close();
	});

	it('[issue 21 item 12] shows the server’s name and type, marking a renamed file and an extension that does not fit', async () => {
		const { context, page } = await openChat();
		await page.goto(`${server.origin}/c/${conversationId}`);
		const card = row(page, ids.forged).locator('[data-media-kind="file"]');
		// Before: the card said "invoice.pdf · PDF" with no mark, while the download saved "report.pdf",
		// a Windows program. Now: the stored name, the type read from the bytes, and both marks.
		await card.getByText('report.pdf', { exact: true }).waitFor();
		await card.getByText(/does not fit its type \(application\/x-msdownload\)/).waitFor();
		await card.getByText('Sent as “invoice.pdf”').waitFor();
		await expect(card.getAttribute('data-mismatch')).resolves.toBe('');
		const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download report.pdf' }).click()]);
		expect(download.suggestedFilename()).toBe('report.pdf');
		// The honest card carries no mark.
		const honest = row(page, ids.file).locator('[data-media-kind="file"]');
		await honest.getByText('1.5 kB · PDF').waitFor();
		await expect(honest.getAttribute('data-mismatch')).resolves.toBeNull();
		await context.close();
	});

	it('passes axe with the lightbox open in Russian, dark', async () => {
		const { context, page } = await openChat({ locale: 'ru-RU', theme: 'dark' });
		await page.goto(`${server.origin}/c/${conversationId}`);
		await page.getByRole('button', { name: 'Открыть фото tall.png' }).click();
		const viewer = page.getByRole('dialog', { name: 'Просмотр фото' });
		await viewer.getByText('2 из 2').waitFor();
		await viewer.getByRole('button', { name: 'Предыдущее' }).waitFor();
		await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
		expect(await axeViolations(page), 'lightbox, Russian dark').toEqual([]);
		await context.close();
	});

	it('keeps media seen online viewable offline (service worker), and sign-out empties the media cache', async () => {
		const persistent = await launchPersistent({ locale: 'en-US' });
		try {
			const { context } = persistent;
			await signInWithCookie(context, server.origin, bob);
			const page = context.pages()[0] ?? (await context.newPage());
			// The worker controls the page before the chat's pictures are first asked for (as on any visit after the first).
			await page.goto(`${server.origin}/`);
			await page.evaluate(() => navigator.serviceWorker.ready);
			if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
			await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
			await page.goto(`${server.origin}/c/${conversationId}`);
			const thumbs = [wide.thumbUrl!, tall.thumbUrl!];
			await row(page, ids.first).locator('img.picture.loaded').waitFor();
			await row(page, ids.second).locator('img.picture.loaded').waitFor();
			// Stored by the worker (written after the answer: wait for it), with their use times.
			const cached = (name: string) =>
				page.evaluate(async (cacheName) => (await (await caches.open(cacheName)).keys()).map((r) => new URL(r.url).pathname), name);
			await expect.poll(() => cached(MEDIA_CACHE).then((keys) => thumbs.every((t) => keys.includes(t)))).toBe(true);
			// The video's first range request ("bytes=0-") stores the whole file.
			await expect.poll(() => cached(MEDIA_CACHE).then((keys) => keys.includes(videoUpload.url))).toBe(true);
			await expect.poll(() => cached(MEDIA_INDEX_CACHE).then((keys) => thumbs.every((t) => keys.includes(t)))).toBe(true);
			// Only 200 answers are stored: a 404 through the worker leaves nothing behind.
			await expect(page.evaluate(() => fetch('/api/uploads/no-such-upload/thumb').then((r) => r.status))).resolves.toBe(404);
			const statuses = await page.evaluate(async (cacheName) => {
				const cache = await caches.open(cacheName);
				return Promise.all((await cache.keys()).map(async (r) => [new URL(r.url).pathname, (await cache.match(r))!.status] as const));
			}, MEDIA_CACHE);
			expect(statuses.length).toBeGreaterThan(0);
			for (const [url, status] of statuses) {
				expect(url).not.toContain('no-such-upload');
				expect(status).toBe(200);
			}

			// Nothing but the worker's cache may answer: the HTTP cache (which also keeps these immutable files) is emptied.
			const cdp = await context.newCDPSession(page);
			await cdp.send('Network.clearBrowserCache');
			await context.setOffline(true);
			const fromWorker: string[] = [];
			page.on('response', (response) => {
				if (response.fromServiceWorker() && response.status() === 200) fromWorker.push(new URL(response.url()).pathname);
			});
			await page.reload();
			for (const id of [ids.first, ids.second]) {
				const picture = row(page, id).locator('img.picture.loaded');
				await picture.waitFor();
				await expect(picture.evaluate((img: HTMLImageElement) => img.naturalWidth > 0)).resolves.toBe(true);
			}
			expect(fromWorker).toEqual(expect.arrayContaining(thumbs));
			// The video's metadata comes from the stored file, its range requests answered by the worker.
			await expect
				.poll(() =>
					row(page, ids.video)
						.locator('video')
						.evaluate((v: HTMLVideoElement) => v.readyState)
				)
				.toBeGreaterThanOrEqual(1);
			await context.setOffline(false);

			await page.goto(`${server.origin}/settings`);
			await page.getByRole('button', { name: 'Sign out' }).first().click();
			await page.waitForURL(/\/login/);
			const names = await page.evaluate(() => caches.keys());
			expect(names).not.toContain(MEDIA_CACHE);
			expect(names).not.toContain(MEDIA_INDEX_CACHE);
		} finally {
			await persistent.close();
		}
	});
});
