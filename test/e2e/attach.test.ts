// Sending files in Chromium, two people in two browser contexts: attach by the button (preview
// tray, caption, axe with the tray open), by drag-and-drop and by paste; progress shown on a
// throttled link and cancel; a photo chosen offline stays pending with its preview through a
// reload and arrives after reconnect; a voice message recorded from a fake microphone arrives as
// an audio attachment with a duration. What arrives is checked in the other person's page, that
// the file answers 200 for them, and in their copy of the document read through the relay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromiumAvailable, FAKE_MEDIA_ARGS, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { connectClient, messagesOf, waitFor } from '../helpers/sync.js';
import { axeViolations, log, messagesWith, sendMessage, signInWithCookie, watchProblems } from './ui.js';

/** A real JPEG (the server decodes and re-encodes images). */
async function photo(width: number, height: number, hue: number): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: { r: hue, g: 120, b: 255 - hue } } })
		.jpeg()
		.toBuffer();
}

/** The upload links or sources inside a message element. */
const uploadsIn = (message: Locator) => message.locator('[href^="/api/uploads/"], [src^="/api/uploads/"]');

describe.skipIf(!chromiumAvailable())('sending files in Chromium', () => {
	let server: TestServer;
	let browser: Browser;
	let aliceUser: TestUser;
	let bobUser: TestUser;
	let conversationId = '';
	let docName = '';
	const contexts: BrowserContext[] = [];
	let alice: { page: Page; context: BrowserContext; problems: string[] };
	let bob: { page: Page; context: BrowserContext; problems: string[] };

	async function open(user: TestUser) {
		const context = await browser.newContext({ locale: 'en-US', permissions: ['microphone'] });
		contexts.push(context);
		await signInWithCookie(context, server.origin, user);
		const page = await context.newPage();
		const problems = watchProblems(page);
		await page.goto(`${server.origin}/c/${conversationId}`);
		await log(page).waitFor();
		return { page, context, problems };
	}

	/** Bob's copy of the conversation, read through the relay: the envelope with `caption`. */
	async function envelopeSeenByBob(caption: string): Promise<Record<string, unknown>> {
		const client = connectClient({ url: server.url, docName, cookie: bobUser.cookie });
		try {
			const found = await waitFor(() => messagesOf(client.doc).find((m) => m.text === caption), { what: `envelope "${caption}"` });
			return found!;
		} finally {
			client.destroy();
		}
	}

	/** Bob sees the message and can fetch its files (200). */
	async function bobReceives(caption: string, files: number): Promise<Locator> {
		const message = messagesWith(bob.page, caption);
		await message.waitFor();
		const links = uploadsIn(message);
		await links.nth(files - 1).waitFor();
		await expect(links.count()).resolves.toBe(files);
		for (const url of await links.evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? ''))) {
			const res = await bob.page.request.get(`${server.origin}${url}`);
			expect(res.status(), url).toBe(200);
		}
		return message;
	}

	const tray = (page: Page) => page.getByRole('region', { name: 'Files to send' });

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser(FAKE_MEDIA_ARGS);
		aliceUser = await signUp(server.url, 'Alice');
		bobUser = await signUp(server.url, 'Bob');
		const conversation = await createConversation(aliceUser, { kind: 'direct', userId: bobUser.id });
		conversationId = conversation.id;
		docName = conversation.docName;
		alice = await open(aliceUser);
		bob = await open(bobUser);
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => {});
		await browser?.close();
		await server?.close();
	});

	it('attaches by the button: tray with previews, caption, remove one, axe clean, sent as photo, received', async () => {
		await alice.page.locator('[data-testid="attach-input"]').setInputFiles([
			{ name: 'sunset.jpg', mimeType: 'image/jpeg', buffer: await photo(3200, 1600, 40) },
			{ name: 'extra.jpg', mimeType: 'image/jpeg', buffer: await photo(64, 64, 200) },
			{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('plain notes') }
		]);
		const t = tray(alice.page);
		await t.waitFor();
		await expect(t.locator('img').count()).resolves.toBe(2);
		await expect(t.getByRole('radio', { name: /As photo/ }).isChecked()).resolves.toBe(true);
		// the caption box has the focus; the tray passes axe, light and dark
		await expect(t.getByRole('textbox', { name: 'Caption' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		expect(await axeViolations(alice.page), 'tray, light').toEqual([]);
		await alice.page.emulateMedia({ colorScheme: 'dark' });
		expect(await axeViolations(alice.page), 'tray, dark').toEqual([]);
		await alice.page.emulateMedia({ colorScheme: 'light' });

		await t.getByRole('button', { name: 'Remove extra.jpg' }).click();
		await expect(t.locator('li').count()).resolves.toBe(2);
		await t.getByRole('textbox', { name: 'Caption' }).fill('Sunset and notes');
		await t.getByRole('button', { name: 'Send' }).click();
		await t.waitFor({ state: 'detached' });

		await messagesWith(alice.page, 'Sunset and notes').and(alice.page.locator('[data-state="sent"], [data-state="read"]')).waitFor();
		await bobReceives('Sunset and notes', 2);
		const envelope = await envelopeSeenByBob('Sunset and notes');
		expect(envelope.kind).toBe('media');
		const [image, text] = envelope.attachments as Array<Record<string, unknown>>;
		// compressed in the browser to a long side of 2560 px
		expect([image!.width, image!.height, image!.mime]).toEqual([2560, 1280, 'image/jpeg']);
		expect(text!.name).toBe('notes.txt');
	});

	it('attaches by drag-and-drop onto the chat (a drop zone shows) and by paste into the composer', async () => {
		const page = alice.page;
		await page.evaluate(() => {
			const data = new DataTransfer();
			data.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
			const chat = document.querySelector('main.chat')!;
			chat.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
			(window as unknown as { dropData: DataTransfer }).dropData = data;
		});
		await page.getByTestId('drop-zone').waitFor();
		await page.evaluate(() => {
			const data = (window as unknown as { dropData: DataTransfer }).dropData;
			document.querySelector('main.chat')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
		});
		await page.getByTestId('drop-zone').waitFor({ state: 'detached' });
		await tray(page).getByText('dropped.txt').waitFor();
		await tray(page).getByRole('textbox', { name: 'Caption' }).fill('Dropped it');
		await tray(page).getByRole('textbox', { name: 'Caption' }).press('Enter');
		await bobReceives('Dropped it', 1);

		// paste: Escape closes the tray first time, then a second paste is sent
		const paste = () =>
			page.getByRole('textbox', { name: 'Message' }).evaluate((box) => {
				const data = new DataTransfer();
				data.items.add(new File(['pasted bytes'], 'pasted.txt', { type: 'text/plain' }));
				box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
			});
		await paste();
		await tray(page).getByText('pasted.txt').waitFor();
		await page.keyboard.press('Escape');
		await tray(page).waitFor({ state: 'detached' });
		await paste();
		await tray(page).getByRole('textbox', { name: 'Caption' }).fill('Pasted it');
		await tray(page).getByRole('button', { name: 'Send' }).click();
		await bobReceives('Pasted it', 1);
	});

	it('shows upload progress on a slow link, and cancel removes the message for good', async () => {
		const page = alice.page;
		const cdp = await alice.context.newCDPSession(page);
		await cdp.send('Network.enable');
		// about 64 KB/s up: a 2 MB file takes half a minute
		await cdp.send('Network.emulateNetworkConditions', {
			offline: false,
			latency: 20,
			downloadThroughput: -1,
			uploadThroughput: 64 * 1024
		});
		try {
			await page
				.locator('[data-testid="attach-input"]')
				.setInputFiles([{ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2 * 1024 * 1024, 7) }]);
			await tray(page).getByRole('textbox', { name: 'Caption' }).fill('Too slow');
			await tray(page).getByRole('button', { name: 'Send' }).click();
			const row = messagesWith(page, 'Too slow');
			await row.and(page.locator('[data-state="pending"]')).waitFor();
			const bar = row.getByRole('progressbar', { name: 'Uploading big.bin' });
			await bar.waitFor();
			// it moves: some bytes have left
			await waitFor(async () => Number(await bar.getAttribute('value')) > 0, { timeoutMs: 20_000, what: 'progress' });
			await row.getByRole('button', { name: 'Cancel sending' }).click();
			await row.waitFor({ state: 'detached' });
		} finally {
			await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
			await cdp.detach();
		}
		// gone from the device too: a reload does not bring it back, and Bob never saw it
		await page.reload();
		await messagesWith(page, 'Sunset and notes').waitFor();
		await expect(messagesWith(page, 'Too slow').count()).resolves.toBe(0);
		await expect(messagesWith(bob.page, 'Too slow').count()).resolves.toBe(0);
	});

	it('a photo chosen offline is pending with its preview, survives a reload, and arrives after reconnect', async () => {
		const page = alice.page;
		await alice.context.setOffline(true);
		await page
			.locator('[data-testid="attach-input"]')
			.setInputFiles([{ name: 'offline.jpg', mimeType: 'image/jpeg', buffer: await photo(800, 600, 90) }]);
		await tray(page).getByRole('textbox', { name: 'Caption' }).fill('Taken offline');
		await tray(page).getByRole('button', { name: 'Send' }).click();
		const row = messagesWith(page, 'Taken offline').and(page.locator('[data-state="pending"]'));
		await row.locator('img[src^="blob:"]').waitFor();

		await page.reload();
		await row.locator('img[src^="blob:"]').waitFor();
		await expect(messagesWith(bob.page, 'Taken offline').count()).resolves.toBe(0);

		await alice.context.setOffline(false);
		await bobReceives('Taken offline', 1);
		await messagesWith(page, 'Taken offline').and(page.locator('[data-state="sent"], [data-state="read"]')).waitFor();
	});

	it('records a voice message from the fake microphone by keyboard; it arrives as audio with a duration and plays on the other side', async () => {
		const page = alice.page;
		const button = page.getByRole('button', { name: 'Record voice message' });
		await button.focus();
		await page.keyboard.press('Enter');
		const stop = page.getByRole('button', { name: 'Stop and send voice message' });
		await stop.waitFor();
		await expect(stop.getAttribute('aria-pressed')).resolves.toBe('true');
		// recording for real: wait until the shown time reached two seconds
		await page.locator('.elapsed', { hasText: '0:02' }).waitFor();
		await page.keyboard.press('Enter');
		await button.waitFor();

		const envelope = await waitFor(
			async () => {
				const client = connectClient({ url: server.url, docName, cookie: bobUser.cookie });
				try {
					await client.synced();
					return messagesOf(client.doc).find((m) => (m.attachments as Array<{ mime: string }> | undefined)?.[0]?.mime === 'audio/webm');
				} finally {
					client.destroy();
				}
			},
			{ timeoutMs: 20_000, what: 'voice message' }
		);
		const [audio] = envelope!.attachments as Array<{ duration?: number; url: string; size: number }>;
		expect(audio!.duration).toBeGreaterThanOrEqual(2);
		expect(audio!.duration).toBeLessThan(10);
		expect(audio!.size).toBeGreaterThan(1000);
		const message = bob.page.locator(`[data-message-id="${envelope!.id as string}"]`);
		await message.waitFor();
		const res = await bob.page.request.get(`${server.origin}${audio!.url}`);
		expect(res.status()).toBe(200);
		// ...and it plays on Bob's side.
		const player = message.getByRole('group', { name: /^Audio/ });
		await player.getByRole('button', { name: 'Play', exact: true }).click();
		await expect
			.poll(() => player.locator('audio').evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 10_000 })
			.toBeGreaterThan(0.1);
		expect(res.headers()['content-type']).toContain('audio/webm');
	});

	it('records by holding the button with the pointer, and sends on release', async () => {
		const page = alice.page;
		const audioCount = async () => {
			const client = connectClient({ url: server.url, docName, cookie: bobUser.cookie });
			try {
				await client.synced();
				return messagesOf(client.doc).filter((m) => (m.attachments as Array<{ mime: string }> | undefined)?.[0]?.mime === 'audio/webm')
					.length;
			} finally {
				client.destroy();
			}
		};
		const before = await audioCount();
		await page.getByRole('button', { name: 'Record voice message' }).hover();
		await page.mouse.down();
		await page.locator('.elapsed', { hasText: '0:01' }).waitFor();
		await page.mouse.up();
		await page.getByRole('button', { name: 'Record voice message' }).waitFor();
		await waitFor(async () => (await audioCount()) === before + 1, { timeoutMs: 20_000, what: 'held voice message' });
	});

	it('sends a video with a poster frame made in the browser as its thumbnail, and its duration', async () => {
		const page = alice.page;
		// a real WebM made in the page (MediaRecorder over a canvas), pasted into the composer
		await page.getByRole('textbox', { name: 'Message' }).evaluate(async (box) => {
			const canvas = document.createElement('canvas');
			canvas.width = 320;
			canvas.height = 240;
			const context = canvas.getContext('2d')!;
			const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
			const chunks: Blob[] = [];
			recorder.ondataavailable = (event) => chunks.push(event.data);
			const stopped = new Promise((resolve) => (recorder.onstop = resolve));
			recorder.start(100);
			for (let frame = 0; frame < 40; frame++) {
				context.fillStyle = `hsl(${frame * 9}, 80%, 50%)`;
				context.fillRect(0, 0, 320, 240);
				await new Promise((resolve) => setTimeout(resolve, 40));
			}
			recorder.stop();
			await stopped;
			const data = new DataTransfer();
			data.items.add(new File(chunks, 'clip.webm', { type: 'video/webm' }));
			box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
		});
		await tray(page).getByText('clip.webm').waitFor();
		await tray(page).getByRole('textbox', { name: 'Caption' }).fill('A short clip');
		await tray(page).getByRole('button', { name: 'Send' }).click();
		const envelope = await envelopeSeenByBob('A short clip');
		const [video] = envelope.attachments as Array<{ mime: string; url: string; thumbUrl?: string; duration?: number }>;
		expect(video!.mime).toBe('video/webm');
		expect(video!.thumbUrl).toMatch(/^\/api\/uploads\/[A-Za-z0-9_-]+$/);
		expect(video!.thumbUrl).not.toBe(video!.url);
		expect(video!.duration).toBeGreaterThan(0.5);
		const poster = await bob.page.request.get(`${server.origin}${video!.thumbUrl}`);
		expect(poster.status()).toBe(200);
		expect(poster.headers()['content-type']).toBe('image/jpeg');
	});

	it('the tray passes axe in Russian, dark', async () => {
		const context = await browser.newContext({ locale: 'ru-RU', colorScheme: 'dark' });
		contexts.push(context);
		await signInWithCookie(context, server.origin, aliceUser);
		const page = await context.newPage();
		await page.goto(`${server.origin}/c/${conversationId}`);
		await log(page).waitFor();
		await page
			.locator('[data-testid="attach-input"]')
			.setInputFiles([{ name: 'фото.jpg', mimeType: 'image/jpeg', buffer: await photo(64, 64, 10) }]);
		await page.getByRole('region', { name: 'Файлы для отправки' }).waitFor();
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('button', { name: 'Отмена' }).click();
	});

	it('Escape cancels a recording: nothing is sent', async () => {
		const page = alice.page;
		const before = await log(bob.page).locator('[data-message-id]').count();
		await page.getByRole('button', { name: 'Record voice message' }).focus();
		await page.keyboard.press('Enter');
		await page.getByRole('button', { name: 'Stop and send voice message' }).waitFor();
		await page.keyboard.press('Escape');
		await page.getByRole('status').filter({ hasText: 'Voice message cancelled.' }).waitFor();
		await sendMessage(page, 'after the cancelled recording');
		await messagesWith(bob.page, 'after the cancelled recording').waitFor();
		await expect(log(bob.page).locator('[data-message-id]').count()).resolves.toBe(before + 1);
	});

	it('no page errors on either side', () => {
		expect(alice.problems).toEqual([]);
		expect(bob.problems).toEqual([]);
	});
});
