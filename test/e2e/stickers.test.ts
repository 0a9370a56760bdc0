// Stickers through the UI (issue 11), two people in two browser contexts: a built-in sticker sent
// from the picker (keyboard too) arrives with its image and name; a sticker made from an own image
// (cropped, resized in the browser, uploaded) lands in a personal pack and is sent; the other
// person adds that pack in one click from the received sticker and finds it in their picker; the
// built-in pack and a seen personal sticker show offline (service worker); axe finds nothing
// serious with the picker and the maker open (English light, Russian dark).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, launchPersistent } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { axeViolations, log, signInWithCookie } from './ui.js';

/** A sticker message in the log showing the image named `name`. */
const stickerMessage = (page: Page, name: string): Locator =>
	log(page)
		.locator('article[data-message-id]')
		.filter({ has: page.getByRole('img', { name, exact: true }) });

/** Whether an image element has decoded pixels (loaded, not broken). */
const loaded = (image: Locator) =>
	image.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0);

/** A PNG "photo" of the person's own: two colours, wider than tall. */
const ownImage = () =>
	sharp({ create: { width: 900, height: 500, channels: 3, background: { r: 40, g: 170, b: 90 } } })
		.composite([{ input: { create: { width: 300, height: 500, channels: 3, background: { r: 240, g: 200, b: 40 } } }, left: 600, top: 0 }])
		.png()
		.toBuffer();

describe.skipIf(!chromiumAvailable())('stickers (UI)', () => {
	let server: TestServer;
	let browser: Browser;
	let alice: TestUser, bob: TestUser;
	let conversationId = '';
	let alicePage: Page, bobPage: Page;
	const contexts: BrowserContext[] = [];

	const openChat = async (user: TestUser, options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}) => {
		const context = await browser.newContext({ locale: options.locale ?? 'en-US', colorScheme: options.colorScheme ?? 'light' });
		contexts.push(context);
		if (options.colorScheme) await context.addCookies([{ name: 'parley-theme', value: options.colorScheme, url: server.origin }]);
		await signInWithCookie(context, server.origin, user);
		const page = await context.newPage();
		await page.goto(`${server.origin}/c/${conversationId}`);
		await page.getByRole('textbox').first().waitFor();
		return page;
	};

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		[alice, bob] = await Promise.all([signUp(server.url, 'Alice'), signUp(server.url, 'Bob')]);
		conversationId = (await createConversation(alice, { kind: 'direct', userId: bob.id })).id;
		alicePage = await openChat(alice);
		bobPage = await openChat(bob);
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => {});
		await browser?.close();
		await server?.close();
	});

	it('a built-in sticker chosen in the picker (by keyboard) is received with its image and name', async () => {
		const opener = alicePage.getByRole('button', { name: 'Stickers' });
		await opener.click();
		const picker = alicePage.getByRole('dialog', { name: 'Stickers' });
		await expect(picker.getByRole('tab', { name: 'Parley' }).getAttribute('aria-selected')).resolves.toBe('true');
		// arrow keys move through the grid; Esc closes and gives the focus back
		await picker.getByRole('button', { name: 'Hello', exact: true }).focus();
		await alicePage.keyboard.press('ArrowRight');
		await expect(alicePage.evaluate(() => document.activeElement?.querySelector('img')?.alt)).resolves.toBe('Thanks');
		await alicePage.keyboard.press('ArrowDown');
		await expect(alicePage.evaluate(() => document.activeElement?.querySelector('img')?.alt)).resolves.toBe('Laugh');
		await alicePage.keyboard.press('Escape');
		await picker.waitFor({ state: 'hidden' });
		await expect(opener.evaluate((button) => button === document.activeElement)).resolves.toBe(true);

		await opener.press('Enter');
		await picker.getByRole('button', { name: 'Thanks', exact: true }).focus();
		await alicePage.keyboard.press('Enter');
		await picker.waitFor({ state: 'hidden' });
		const sent = stickerMessage(alicePage, 'Thanks');
		await sent.and(alicePage.locator('[data-state="sent"], [data-state="read"]')).waitFor();

		const received = stickerMessage(bobPage, 'Thanks');
		await received.waitFor();
		const image = received.getByRole('img', { name: 'Thanks' });
		await expect.poll(() => loaded(image)).toBe(true);
		await expect(image.getAttribute('src')).resolves.toBe('/stickers/parley/thanks.svg');
	});

	it('a sticker made from an own image lands in a personal pack and is sent; the other person adds the pack in one click', async () => {
		await alicePage.getByRole('button', { name: 'Stickers' }).click();
		await alicePage.getByRole('dialog', { name: 'Stickers' }).getByRole('button', { name: 'New sticker' }).click();
		const maker = alicePage.getByRole('dialog', { name: 'New sticker' });
		await maker.getByLabel('Choose an image').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await ownImage() });
		const crop = maker.getByRole('application', { name: /Crop/ });
		await crop.waitFor();
		await crop.press('ArrowRight');
		const zoom = maker.getByRole('slider', { name: 'Zoom' });
		await zoom.focus();
		for (let i = 0; i < 10; i++) await alicePage.keyboard.press('ArrowRight');
		await expect(zoom.inputValue()).resolves.toBe('1.5');
		// drag the picture to the left
		const box = (await crop.boundingBox())!;
		await alicePage.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
		await alicePage.mouse.down();
		await alicePage.mouse.move(box.x + box.width / 4, box.y + box.height / 2, { steps: 4 });
		await alicePage.mouse.up();
		await maker.getByRole('textbox', { name: 'Sticker name' }).fill('Green square');
		await expect(maker.getByRole('combobox', { name: 'Pack' }).inputValue()).resolves.toBe('');
		await maker.getByRole('textbox', { name: 'Pack title' }).fill('Alice pack');
		await maker.getByRole('button', { name: 'Save sticker' }).click();

		// saved: the picker opens on the new pack
		const picker = alicePage.getByRole('dialog', { name: 'Stickers' });
		await expect(picker.getByRole('tab', { name: 'Alice pack' }).getAttribute('aria-selected')).resolves.toBe('true');
		const made = picker.getByRole('button', { name: 'Green square' });
		await expect.poll(() => loaded(made.getByRole('img'))).toBe(true);
		const size = await made
			.getByRole('img')
			.evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight]);
		expect(size).toEqual([512, 512]);
		await made.click();
		await stickerMessage(alicePage, 'Green square').and(alicePage.locator('[data-state="sent"], [data-state="read"]')).waitFor();

		// Bob has no such pack: the sticker shows (its name looked up) and opens the pack's preview
		const received = stickerMessage(bobPage, 'Green square');
		await received.waitFor();
		await expect.poll(() => loaded(received.getByRole('img'))).toBe(true);
		await received.getByRole('button', { name: 'Green square' }).click();
		const preview = bobPage.getByRole('dialog', { name: 'Alice pack' });
		await preview.getByText('by Alice').waitFor();
		await preview.getByRole('img', { name: 'Green square' }).waitFor();
		await preview.getByRole('button', { name: 'Add pack' }).click();
		await preview.getByText('This pack is in your stickers.').waitFor();
		await bobPage.keyboard.press('Escape');
		await preview.waitFor({ state: 'hidden' });
		// now his own: no longer a button, just the sticker
		await expect(received.getByRole('button', { name: 'Green square' }).count()).resolves.toBe(0);

		await bobPage.getByRole('button', { name: 'Stickers' }).click();
		const bobPicker = bobPage.getByRole('dialog', { name: 'Stickers' });
		await bobPicker.getByRole('tab', { name: 'Alice pack' }).click();
		await bobPicker.getByRole('button', { name: 'Green square' }).click();
		await stickerMessage(bobPage, 'Green square').nth(1).waitFor();
		await expect.poll(() => stickerMessage(alicePage, 'Green square').count()).toBe(2);
	});

	it('the built-in pack and a personal sticker seen before show offline (service worker)', async () => {
		const persistent = await launchPersistent({ locale: 'en-US' });
		try {
			await signInWithCookie(persistent.context, server.origin, bob);
			const page = persistent.context.pages()[0] ?? (await persistent.context.newPage());
			await page.goto(`${server.origin}/c/${conversationId}`);
			await page.evaluate(() => navigator.serviceWorker.ready);
			if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
			await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
			// seen once online, through the worker
			await expect.poll(() => loaded(stickerMessage(page, 'Green square').first().getByRole('img'))).toBe(true);

			await persistent.context.setOffline(true);
			await page.reload();
			await expect.poll(() => loaded(stickerMessage(page, 'Thanks').getByRole('img'))).toBe(true);
			await expect.poll(() => loaded(stickerMessage(page, 'Green square').first().getByRole('img'))).toBe(true);
			await page.getByRole('button', { name: 'Stickers' }).click();
			const picker = page.getByRole('dialog', { name: 'Stickers' });
			for (const name of ['Hello', 'Party', 'Sleepy']) await expect.poll(() => loaded(picker.getByRole('img', { name }))).toBe(true);
			// the picker's packs came from the device's copy
			await picker.getByRole('tab', { name: 'Alice pack' }).waitFor();
		} finally {
			await persistent.close();
		}
	});

	for (const [locale, colorScheme, names] of [
		['en-US', 'light', { stickers: 'Stickers', newSticker: 'New sticker', choose: 'Choose an image' }],
		['ru-RU', 'dark', { stickers: 'Стикеры', newSticker: 'Новый стикер', choose: 'Выбрать изображение' }]
	] as const) {
		it(`axe: no serious violation with the picker and the maker open (${locale}, ${colorScheme})`, async () => {
			const page = await openChat(alice, { locale, colorScheme });
			await page.getByRole('button', { name: names.stickers }).click();
			const picker = page.getByRole('dialog', { name: names.stickers });
			await picker.getByRole('tab').nth(1).click();
			await picker.getByRole('img').first().waitFor();
			expect(await axeViolations(page), 'picker').toEqual([]);
			await picker.getByRole('button', { name: names.newSticker }).click();
			const maker = page.getByRole('dialog', { name: names.newSticker });
			await maker.getByLabel(names.choose).setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await ownImage() });
			await maker.getByRole('application').waitFor();
			expect(await axeViolations(page), 'maker').toEqual([]);
			await page.keyboard.press('Escape');
			await maker.waitFor({ state: 'hidden' });
		});
	}
});
