// The emoji picker in Chromium: opened from the composer, searched in English and Russian whatever
// the UI language, used by keyboard alone, inserting at the caret; offline from the service
// worker's cache; no serious axe violation (English light, Russian dark); its stored data (the
// frequently used emoji) is gone after sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, launchPersistent } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { axeViolations, messagesWith, signInWithCookie, waitForState, watchProblems } from './ui.js';

/** The journal key the frequently used emoji live under (src/lib/client/emoji/frequent.ts, storage/indexeddb.ts). */
const frequentKey = (userId: string) => `parley.${userId}.journal.emoji.frequent`;

describe.skipIf(!chromiumAvailable())('emoji picker', () => {
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
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	async function openChat(context: BrowserContext, user: TestUser, composerName = 'Message'): Promise<Page> {
		await signInWithCookie(context, server.origin, user);
		const page = await context.newPage();
		await page.goto(`${server.origin}/c/${conversationId}`);
		await page.getByRole('textbox', { name: composerName }).waitFor();
		return page;
	}

	const focused = (page: Page) =>
		page.evaluate(() => {
			const el = document.activeElement as HTMLElement | null;
			return { tag: el?.tagName, label: el?.getAttribute('aria-label'), text: el?.textContent };
		});

	it('inserts a searched emoji at the caret by keyboard alone, keeps the draft, and sends it', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		const page = await openChat(context, alice);
		const problems = watchProblems(page);
		const box = page.getByRole('textbox', { name: 'Message' });
		await box.fill('Hello world');
		await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(5, 5));

		// Tab from the composer back to the Emoji button would depend on the other tools: focus it, then Enter.
		const opener = page.getByRole('button', { name: 'Emoji', exact: true });
		await opener.focus();
		await page.keyboard.press('Enter');
		const picker = page.getByRole('dialog', { name: 'Choose an emoji' });
		await picker.getByRole('group', { name: 'Smileys & emotion' }).getByRole('button').first().waitFor();
		await expect(focused(page)).resolves.toMatchObject({ tag: 'INPUT', label: 'Search emoji' });

		await page.keyboard.type('thumbs');
		const results = picker.getByRole('group', { name: 'Search results' });
		await results.getByRole('button', { name: '👍', exact: true }).waitFor();
		await expect(results.getByRole('button', { name: '👍', exact: true }).getAttribute('title')).resolves.toBe('thumbs up');
		await page.keyboard.press('ArrowDown');
		await expect(focused(page)).resolves.toMatchObject({ tag: 'BUTTON', text: '👍' });
		await page.keyboard.press('ArrowRight');
		await expect(focused(page)).resolves.toMatchObject({ text: '👎' });
		await page.keyboard.press('ArrowLeft');
		await page.keyboard.press('Enter');

		await picker.waitFor({ state: 'detached' });
		await expect.poll(() => box.inputValue()).toBe('Hello👍 world');
		await expect(focused(page)).resolves.toMatchObject({ tag: 'TEXTAREA' });
		// the caret right after the emoji (two UTF-16 units)
		await expect(box.evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd])).resolves.toEqual([7, 7]);
		// typing goes on at the caret
		await page.keyboard.type('!');
		await expect(box.inputValue()).resolves.toBe('Hello👍! world');

		await page.keyboard.press('Enter');
		await waitForState(page, 'Hello👍! world', ['sent', 'read']);
		await expect(messagesWith(page, 'Hello👍! world').count()).resolves.toBe(1);
		expect(problems).toEqual([]);
		await context.close();
	});

	it('searches Russian words in the English UI, learns frequent picks, and Esc returns focus', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		const page = await openChat(context, alice);
		const opener = page.getByRole('button', { name: 'Emoji', exact: true });
		const picker = page.getByRole('dialog', { name: 'Choose an emoji' });

		await opener.click();
		const search = picker.getByRole('textbox', { name: 'Search emoji' });
		await search.fill('палец вверх');
		const first = picker.getByRole('group', { name: 'Search results' }).getByRole('button').first();
		await expect(first.textContent()).resolves.toBe('👍');
		// described in the UI language, found in either
		await expect(first.getAttribute('title')).resolves.toBe('thumbs up');
		await search.fill('ракета');
		await picker.getByRole('group', { name: 'Search results' }).getByRole('button', { name: '🚀', exact: true }).click();
		await picker.waitFor({ state: 'detached' });
		await expect(page.getByRole('textbox', { name: 'Message' }).inputValue()).resolves.toBe('🚀');
		// the insertion went into the draft: it outlives a reload
		await page.reload();
		await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('🚀');

		await opener.click();
		const frequent = picker.getByRole('group', { name: 'Frequently used' }).getByRole('button');
		await expect(frequent.first().textContent()).resolves.toBe('🚀');
		await expect(frequent.nth(1).textContent()).resolves.toBe('👍'); // then the defaults
		// typing while in the grid searches
		await page.keyboard.press('ArrowDown');
		await expect(focused(page)).resolves.toMatchObject({ tag: 'BUTTON', text: '🚀' });
		await page.keyboard.type('zzzzqqq');
		await expect(search.inputValue()).resolves.toBe('zzzzqqq');
		await picker.getByText('No emoji found').waitFor();
		await page.keyboard.press('Escape');
		await picker.waitFor({ state: 'detached' });
		await expect(focused(page)).resolves.toMatchObject({ tag: 'BUTTON', label: 'Emoji' });
		await expect(page.getByRole('textbox', { name: 'Message' }).inputValue()).resolves.toBe('🚀');

		// the category buttons jump to their group
		await opener.click();
		await picker.getByRole('button', { name: 'Flags' }).click();
		await expect(focused(page)).resolves.toMatchObject({ text: '🏁' });
		await context.close();
	});

	for (const [locale, theme] of [
		['en-US', 'light'],
		['ru-RU', 'dark']
	] as const) {
		it(`passes axe with the picker open: ${locale}, ${theme}`, async () => {
			const context = await browser.newContext({ locale, colorScheme: theme });
			await context.addCookies([{ name: 'parley-theme', value: theme, url: server.origin }]);
			const ru = locale === 'ru-RU';
			const page = await openChat(context, alice, ru ? 'Сообщение' : 'Message');
			await page.getByRole('button', { name: ru ? 'Эмодзи' : 'Emoji', exact: true }).click();
			const picker = page.getByRole('dialog', { name: ru ? 'Выбор эмодзи' : 'Choose an emoji' });
			await picker
				.getByRole('group', { name: ru ? 'Часто используемые' : 'Frequently used' })
				.getByRole('button')
				.first()
				.waitFor();
			expect(await axeViolations(page), 'picker').toEqual([]);
			await picker.getByRole('textbox', { name: ru ? 'Поиск эмодзи' : 'Search emoji' }).fill('thumbs');
			const thumbs = picker.getByRole('button', { name: '👍', exact: true });
			await expect(thumbs.getAttribute('title')).resolves.toBe(ru ? 'большой палец вверх' : 'thumbs up');
			expect(await axeViolations(page), 'search results').toEqual([]);
			await context.close();
		});
	}

	it('works offline, its data from the service worker’s cache', async () => {
		const persistent = await launchPersistent({ locale: 'en-US' });
		try {
			const context = persistent.context;
			await signInWithCookie(context, server.origin, alice);
			const page = context.pages()[0] ?? (await context.newPage());
			await page.goto(`${server.origin}/c/${conversationId}`);
			// The worker must control the page (and so have precached the data) before the network goes.
			await page.evaluate(() => navigator.serviceWorker.ready);
			if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
			await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));

			await context.setOffline(true);
			await page.reload();
			const box = page.getByRole('textbox', { name: 'Message' });
			await box.waitFor();
			const dataResponse = page.waitForResponse((response) => response.url().includes('/emoji/emoji-'));
			await page.getByRole('button', { name: 'Emoji', exact: true }).click();
			const response = await dataResponse;
			expect(response.ok()).toBe(true);
			expect(response.fromServiceWorker()).toBe(true);
			const picker = page.getByRole('dialog', { name: 'Choose an emoji' });
			await picker.getByRole('textbox', { name: 'Search emoji' }).fill('grinning');
			await picker.getByRole('group', { name: 'Search results' }).getByRole('button', { name: '😀', exact: true }).click();
			await expect.poll(() => box.inputValue()).toContain('😀');
			await expect(picker.getByRole('alert').count()).resolves.toBe(0);
		} finally {
			await persistent.close();
		}
	});

	it('sign-out removes the picker’s stored data', async () => {
		const carol = await signUp(server.url, 'Carol');
		const chat = await createConversation(carol, { kind: 'direct', userId: alice.id });
		const context = await browser.newContext({ locale: 'en-US' });
		await signInWithCookie(context, server.origin, carol);
		const page = await context.newPage();
		await page.goto(`${server.origin}/c/${chat.id}`);
		await page.getByRole('button', { name: 'Emoji', exact: true }).click();
		const picker = page.getByRole('dialog', { name: 'Choose an emoji' });
		await picker.getByRole('textbox', { name: 'Search emoji' }).fill('tada');
		await picker.getByRole('button', { name: '🎉', exact: true }).click();
		await picker.waitFor({ state: 'detached' });
		const stored = () => page.evaluate((key) => localStorage.getItem(key), frequentKey(carol.id));
		await expect(stored()).resolves.toContain('🎉');

		await page.goto(`${server.origin}/settings`);
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(`${server.origin}/login`);
		await expect(stored()).resolves.toBeNull();
		const databases = await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ''));
		expect(databases.filter((name) => name.includes(carol.id) || name.includes('emoji'))).toEqual([]);
		await context.close();
	});
});
