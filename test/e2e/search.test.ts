// Search in Chromium (issue 20): a word written 5 000 messages back is found online through the
// search box and opened in place with the word marked; the device's and the server's results
// merge into one entry per message; the help centre reads offline in English and Russian; with
// the server stopped, search answers from the device and says "Searching this device only"; axe
// finds nothing serious on the results and /help (en light, ru dark).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, launchPersistent } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { openWriter } from '../integration/search/helpers.js';
import { axeViolations, chatList, messagesWith, signInWithCookie } from './ui.js';

/** Messages written after the one searched for. */
const HISTORY = 5_000;
/** Written in transactions of this many (each well under the relay's frame limit). */
const BATCH = 1_000;
const RARE = 'zephyrquartz';

describe.skipIf(!chromiumAvailable())('search (search box, find in chat, help centre)', () => {
	let server: TestServer;
	let browser: Browser;
	let alice: TestUser;
	let persistent: Awaited<ReturnType<typeof launchPersistent>>;
	let page: Page;
	let conversationId = '';
	let rareId = '';

	beforeAll(async () => {
		server = await startTestServer({ env: { SYNC_RATE_LIMITS: 'off' } });
		browser = await launchBrowser();
		alice = await signUp(server.url, 'Alice');
		const bob = await signUp(server.url, 'Bob');
		const group = await createConversation(alice, { kind: 'group', title: 'Long history', memberIds: [bob.id] });
		conversationId = group.id;
		// Seeded through the relay with a stock client (the projection fills the server's index as in production).
		const writer = await openWriter(server, alice, group.docName);
		const start = Date.now() - (HISTORY + 1) * 60_000;
		rareId = (await writer.send([`The parcel code is ${RARE}, keep it`], { createdAt: start }))[0]!;
		for (let i = 0; i < HISTORY; i += BATCH)
			await writer.send(
				Array.from({ length: BATCH }, (_, k) => `message ${i + k}: an ordinary line of chat text`),
				{ createdAt: start + 60_000 }
			);
		writer.client.destroy();

		persistent = await launchPersistent({ locale: 'en-US' });
		page = persistent.context.pages()[0] ?? (await persistent.context.newPage());
		await signInWithCookie(persistent.context, server.origin, alice);
		await page.goto(`${server.origin}/`);
		await chatList(page).waitFor();
	}, 240_000);
	afterAll(async () => {
		await persistent?.close();
		await browser?.close();
		await server?.close();
	});

	const searchBox = (p: Page) => p.getByRole('searchbox', { name: 'Search', exact: true });
	const results = (p: Page) => p.locator('[data-testid="search-messages"] a[data-message-id]');

	it('finds a word 5 000 messages back online and opens the chat at it, the word marked', async () => {
		// Ctrl+K puts the keyboard in the search box
		await page.keyboard.press('Control+k');
		await expect.poll(() => searchBox(page).evaluate((el) => el === document.activeElement)).toBe(true);
		await page.keyboard.type(RARE);
		const hit = results(page).and(page.locator(`[data-message-id="${rareId}"]`));
		await hit.waitFor();
		// the snippet marks the word
		await expect(hit.locator('mark').first().textContent()).resolves.toBe(RARE);
		await expect(hit.textContent()).resolves.toContain('Long history');
		await searchBox(page).press('Enter');
		await page.waitForURL(new RegExp(`/c/${conversationId}\\?`));
		const message = messagesWith(page, `The parcel code is ${RARE}`);
		await message.waitFor({ timeout: 30_000 });
		await expect(message.locator('mark.search-mark').textContent()).resolves.toBe(RARE);
		// in place: the newest messages are far below, not on screen
		await expect(messagesWith(page, `message ${HISTORY - 1}:`).count()).resolves.toBe(0);
	}, 120_000);

	it('merges the device’s and the server’s results: one entry per message', async () => {
		// the chat was opened: its messages are on the device now, and in its index
		await searchBox(page).fill('');
		await searchBox(page).fill(`${RARE} `);
		const both = results(page).and(page.locator(`[data-message-id="${rareId}"][data-source="both"]`));
		await both.waitFor({ timeout: 30_000 });
		await expect(
			results(page)
				.and(page.locator(`[data-message-id="${rareId}"]`))
				.count()
		).resolves.toBe(1);
		const ids = await results(page).evaluateAll((links) => links.map((l) => l.getAttribute('data-message-id')));
		expect(new Set(ids).size).toBe(ids.length);
		// "Find in chat" marks the words too
		await searchBox(page).press('Escape');
		await page.getByRole('button', { name: 'Find in chat' }).click();
		await page.getByRole('searchbox', { name: 'Search messages' }).fill(`parcel ${RARE}`);
		await page.getByRole('search', { name: 'Find in chat' }).getByText('1 of 1').waitFor();
		await expect(messagesWith(page, 'The parcel code').locator('mark.search-mark').allTextContents()).resolves.toEqual(['parcel', RARE]);
	}, 90_000);

	it('narrows by filters: in this chat, from a person, after a day', async () => {
		await page.goto(`${server.origin}/c/${conversationId}`);
		await searchBox(page).fill(`${RARE} `);
		const rare = results(page).and(page.locator(`[data-message-id="${rareId}"]`));
		await rare.waitFor();
		await page.getByRole('button', { name: 'Search filters' }).click();
		await page.getByRole('checkbox', { name: 'In this chat' }).check();
		await page.getByRole('combobox', { name: 'From' }).selectOption({ label: 'You' });
		await rare.waitFor();
		// written days ago: nothing after today
		const today = await page.evaluate(() => {
			const d = new Date();
			return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
		});
		await page.getByLabel('After').fill(today);
		await page.getByRole('status').getByText('Nothing found').waitFor();
		await expect(results(page).count()).resolves.toBe(0);
		await page.getByLabel('After').fill('');
		await rare.waitFor();
		await page.getByRole('button', { name: 'Clear search' }).click();
		await expect(searchBox(page).inputValue()).resolves.toBe('');
	}, 60_000);

	for (const [locale, theme] of [
		['en-US', 'light'],
		['ru-RU', 'dark']
	] as const) {
		it(`axe: search results and /help, ${locale} ${theme}`, async () => {
			const context = await browser.newContext({ locale, colorScheme: theme });
			await context.addCookies([{ name: 'parley-theme', value: theme, url: server.origin }]);
			await signInWithCookie(context, server.origin, alice);
			const p = await context.newPage();
			await p.goto(`${server.origin}/`);
			const box = p.getByRole('searchbox', { name: locale === 'ru-RU' ? 'Поиск' : 'Search', exact: true });
			await box.fill(`${RARE} `);
			await results(p).first().waitFor();
			expect(await axeViolations(p), 'search results').toEqual([]);
			await p.goto(`${server.origin}/help`);
			await p.getByRole('heading', { level: 1, name: locale === 'ru-RU' ? 'Справка' : 'Help' }).waitFor();
			expect(await axeViolations(p), '/help').toEqual([]);
			await context.close();
		}, 90_000);
	}

	it('opens the help centre offline, in English and in Russian, and finds it from the search box', async () => {
		await page.evaluate(() => navigator.serviceWorker.ready);
		if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
		await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
		await persistent.context.setOffline(true);
		try {
			await page.goto(`${server.origin}/help`);
			await page.getByRole('heading', { level: 1, name: 'Help' }).waitFor();
			await page.getByRole('heading', { name: 'Using Parley offline' }).waitFor();
			await persistent.context.addCookies([{ name: 'parley-lang', value: 'ru', url: server.origin }]);
			await page.reload();
			await page.getByRole('heading', { level: 1, name: 'Справка' }).waitFor();
			await page.getByRole('heading', { name: 'Parley без сети' }).waitFor();
			// the search box's Help section
			await page.getByRole('searchbox', { name: 'Поиск', exact: true }).fill('уведомлений');
			await page.locator('#search-results').getByRole('link', { name: 'Уведомления' }).click();
			await page.waitForURL(/\/help#notifications$/);
		} finally {
			await persistent.context.addCookies([{ name: 'parley-lang', value: 'en', url: server.origin }]);
			await persistent.context.setOffline(false);
		}
	}, 90_000);

	it('with the server stopped, finds a cached message on the device and says so', async () => {
		await page.goto(`${server.origin}/`);
		await chatList(page).waitFor();
		await server.stop();
		await searchBox(page).fill(`parcel ${RARE}`);
		await results(page)
			.and(page.locator(`[data-message-id="${rareId}"]`))
			.waitFor();
		await page.getByRole('status').getByText('Searching this device only').waitFor();
		await expect(results(page).count()).resolves.toBe(1);
	}, 60_000);
});
