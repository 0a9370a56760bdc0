// axe-core (injected into the page as source) finds no serious or critical violation on the
// sign-in page, the chat list and a chat, in English and Russian, light and dark.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { axeViolations, chatList, messagesWith, sendMessage, signInWithCookie } from './ui.js';

describe.skipIf(!chromiumAvailable())('accessibility of the app (axe-core)', () => {
	let server: TestServer;
	let browser: Browser;
	let alice: TestUser;
	let conversationId = '';

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		alice = await signUp(server.url, 'Alice');
		const bob = await signUp(server.url, 'Bob');
		conversationId = (await createConversation(alice, { kind: 'direct', userId: bob.id })).id;
		// Something to read: a message written through the UI, with Markdown.
		const context = await browser.newContext({ locale: 'en-US' });
		await signInWithCookie(context, server.origin, alice);
		const page = await context.newPage();
		await page.goto(`${server.origin}/c/${conversationId}`);
		await sendMessage(page, 'Hello **there**, see `code` and https://example.com');
		await messagesWith(page, 'Hello there').and(page.locator('[data-state="sent"]')).waitFor();
		await context.close();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	for (const locale of ['en-US', 'ru-RU']) {
		for (const theme of ['light', 'dark'] as const) {
			it(`sign-in page, chat list and a chat: ${locale}, ${theme}`, async () => {
				const context = await browser.newContext({ locale, colorScheme: theme });
				await context.addCookies([{ name: 'parley-theme', value: theme, url: server.origin }]);
				const page = await context.newPage();

				await page.goto(`${server.origin}/login`);
				await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe(theme);
				await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale.slice(0, 2));
				expect(await axeViolations(page), 'sign-in page').toEqual([]);

				await signInWithCookie(context, server.origin, alice);
				await page.goto(`${server.origin}/`);
				// SPEC §7 names are English; the Russian UI names the list in Russian.
				await page
					.getByRole('navigation', { name: locale === 'ru-RU' ? 'Беседы' : 'Conversations' })
					.getByRole('link')
					.first()
					.waitFor();
				await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale.slice(0, 2));
				await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe(theme);
				expect(await axeViolations(page), 'chat list').toEqual([]);

				await page.goto(`${server.origin}/c/${conversationId}`);
				await messagesWith(page, 'Hello there').waitFor();
				expect(await axeViolations(page), 'chat').toEqual([]);
				await context.close();
			});
		}
	}

	it('can be used with the keyboard alone: the composer is reachable and visibly focused', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		await signInWithCookie(context, server.origin, alice);
		const page = await context.newPage();
		await page.goto(`${server.origin}/`);
		const link = chatList(page).getByRole('link').first();
		await link.waitFor();
		// Tab until the conversation link has focus, then open it with Enter.
		for (let i = 0; i < 20 && !(await link.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
		await expect(link.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		await expect(link.evaluate((el) => getComputedStyle(el).outlineStyle)).resolves.not.toBe('none');
		await page.keyboard.press('Enter');
		await page.waitForURL(`${server.origin}/c/${conversationId}`);
		const box = page.getByRole('textbox', { name: 'Message' });
		for (let i = 0; i < 20 && !(await box.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
		await expect(box.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		await page.keyboard.type('typed with keys');
		await page.keyboard.press('Enter');
		await messagesWith(page, 'typed with keys').waitFor();
		await context.close();
	});
});
