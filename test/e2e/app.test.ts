// The app in Chromium, two people in two browser contexts talking through the UI only: sign up,
// start a direct chat from the new-chat dialog, messages live both ways (multi-line, Markdown as
// safe HTML), own message states, offline writing delivered once on reconnect, the draft kept,
// sign-out leaving nothing for the next person, and a phone-sized viewport.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
	chatList,
	log,
	messagesWith,
	registerInUi,
	sendMessage,
	signInInUi,
	startDirectChat,
	uniqueName,
	upToDate,
	waitForState,
	watchProblems
} from './ui.js';

describe.skipIf(!chromiumAvailable())('the app in Chromium', () => {
	let server: TestServer;
	let browser: Browser;
	const contexts: BrowserContext[] = [];
	let alice: { page: Page; context: BrowserContext; username: string; problems: string[] };
	let bob: { page: Page; context: BrowserContext; username: string; problems: string[] };
	let conversationId = '';

	async function person(base: string, displayName: string, options: Parameters<Browser['newContext']>[0] = {}) {
		const context = await browser.newContext({ locale: 'en-US', ...options });
		contexts.push(context);
		const page = await context.newPage();
		const problems = watchProblems(page);
		const username = uniqueName(base);
		await registerInUi(page, server.origin, username, displayName);
		return { page, context, username, problems };
	}

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		alice = await person('alice', 'Alice Liddell');
		bob = await person('bob', 'Bob Builder');
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => {});
		await browser?.close();
		await server?.close();
	});

	it('starts a direct chat from the new-chat dialog, and both sides see it live', async () => {
		conversationId = await startDirectChat(alice.page, 'Bob', 'Bob Builder');
		// The title comes from the inbox entry, which may arrive just after the page: wait for it.
		await alice.page.getByRole('heading', { level: 2, name: 'Bob Builder' }).waitFor();
		await expect(alice.page.getByRole('heading', { level: 2, name: 'Bob Builder' }).count()).resolves.toBe(1);
		// Bob never reloads: the conversation appears in his list by itself once Alice writes.
		await sendMessage(alice.page, 'Hello **Bob**');
		const first = messagesWith(alice.page, 'Hello Bob');
		await first.waitFor();
		await waitForState(alice.page, 'Hello Bob', 'sent');
		// Markdown rendered as markup, never as the raw source.
		await expect(first.locator('strong').textContent()).resolves.toBe('Bob');

		const link = chatList(bob.page).getByRole('link', { name: /Alice Liddell/ });
		await link.waitFor();
		await link.click();
		await bob.page.waitForURL(`${server.origin}/c/${conversationId}`);
		await messagesWith(bob.page, 'Hello Bob').waitFor();
		// Bob has seen it on screen: Alice's message turns "read".
		await waitForState(alice.page, 'Hello Bob', 'read');
	});

	it('exchanges messages live both ways, with Shift+Enter for a new line', async () => {
		const box = bob.page.getByRole('textbox', { name: 'Message' });
		await box.click();
		await box.pressSequentially('first line');
		await box.press('Shift+Enter');
		await box.pressSequentially('second line');
		await expect(box.inputValue()).resolves.toBe('first line\nsecond line');
		await box.press('Enter');
		const multi = messagesWith(alice.page, 'first line');
		await multi.waitFor();
		// One message, its two lines kept apart.
		await expect(multi.count()).resolves.toBe(1);
		await expect(multi.locator('.text').innerText()).resolves.toBe('first line\nsecond line');

		for (let i = 1; i <= 5; i++) await sendMessage(alice.page, `ping ${i}`);
		await messagesWith(bob.page, 'ping 5').waitFor();
		const ids = await log(bob.page)
			.locator('[data-message-id]')
			.evaluateAll((els) => els.map((el) => el.getAttribute('data-message-id')));
		expect(new Set(ids).size).toBe(ids.length);
		// Others' messages carry no state; own ones do.
		await expect(messagesWith(bob.page, 'ping 5').getAttribute('data-state')).resolves.toBeNull();
		await expect(messagesWith(bob.page, 'first line').getAttribute('data-state')).resolves.toMatch(/^(sent|read)$/);
	});

	it('renders what a message holds as text: no script runs, no raw HTML element appears', async () => {
		await sendMessage(bob.page, '<img src=x onerror="window.__pwned=1"> [x](javascript:alert(1))');
		const message = messagesWith(alice.page, '<img src=x');
		await message.waitFor();
		await expect(message.locator('img').count()).resolves.toBe(0);
		await expect(message.locator('a[href^="javascript"]').count()).resolves.toBe(0);
		await expect(alice.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
	});

	it('keeps a message the relay would refuse (over 16 KiB) in the composer, and says why', async () => {
		const box = alice.page.getByRole('textbox', { name: 'Message' });
		const long = 'x'.repeat(17 * 1024);
		await box.fill(long);
		await box.press('Enter');
		await alice.page.getByRole('alert').filter({ hasText: 'cannot be sent' }).waitFor();
		await expect(box.inputValue()).resolves.toHaveLength(long.length);
		await expect(messagesWith(bob.page, 'xxxxxxxxxx').count()).resolves.toBe(0);
		await box.fill('');
	});

	it('writes offline: pending while offline, delivered once on reconnect; the draft stays', async () => {
		// A draft in the conversation, then away to the list and back: still there.
		const box = alice.page.getByRole('textbox', { name: 'Message' });
		await box.fill('an unfinished thought');
		await alice.page.goto(`${server.origin}/`);
		await chatList(alice.page)
			.getByRole('link', { name: /Bob Builder/ })
			.click();
		await expect.poll(() => alice.page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('an unfinished thought');

		await alice.context.setOffline(true);
		await alice.page.getByRole('status', { name: 'Connection' }).first().getByText('Offline').waitFor();
		await sendMessage(alice.page, 'written offline');
		await waitForState(alice.page, 'written offline', 'pending');
		await expect(alice.page.getByTestId('pending-count').first().textContent()).resolves.toContain('1');
		await expect(messagesWith(bob.page, 'written offline').count()).resolves.toBe(0);

		await alice.context.setOffline(false);
		await waitForState(alice.page, 'written offline', ['sent', 'read']);
		await messagesWith(bob.page, 'written offline').waitFor();
		await bob.page.reload();
		await messagesWith(bob.page, 'written offline').waitFor();
		await expect(messagesWith(bob.page, 'written offline').count()).resolves.toBe(1);
		await expect(messagesWith(alice.page, 'written offline').count()).resolves.toBe(1);
	});

	it('signs out from /settings and the next person on this browser sees none of it', async () => {
		const { page } = alice;
		const aliceId: string = await page.evaluate(async () => (await (await fetch('/api/me')).json()).user.id);
		const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
		// Her documents live in databases named with her id.
		expect((await databases()).filter((name) => name.includes(aliceId)).length).toBeGreaterThan(0);

		await page.goto(`${server.origin}/settings`);
		await page.getByRole('button', { name: 'Sign out' }).first().click();
		await page.waitForURL(`${server.origin}/login`);
		expect((await databases()).filter((name) => name.includes(aliceId))).toEqual([]);

		const carol = uniqueName('carol');
		await page.goto(`${server.origin}/register`);
		await page.getByRole('textbox', { name: 'Username' }).fill(carol);
		await page.getByRole('textbox', { name: 'Display name' }).fill('Carol');
		await page.getByLabel('Password', { exact: true }).fill('a long enough ui passphrase');
		await page.getByRole('button', { name: 'Create account' }).click();
		await page.waitForURL(`${server.origin}/`, { waitUntil: 'commit' });
		await chatList(page).waitFor();
		// Counted once the relay has answered: an empty list read before that could not fail.
		await upToDate(page);
		await expect(chatList(page).getByRole('link').count()).resolves.toBe(0);
		await expect(page.getByText('Bob Builder').count()).resolves.toBe(0);
		// Alice's conversation is not readable here either.
		await page.goto(`${server.origin}/c/${conversationId}`);
		await log(page).waitFor();
		await upToDate(page);
		await expect(messagesWith(page, 'Hello Bob').count()).resolves.toBe(0);
	});

	it('on a phone: one pane at a time, with a way back to the list', async () => {
		const phone = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		contexts.push(phone);
		const page = await phone.newPage();
		const problems = watchProblems(page);
		await signInInUi(page, server.origin, bob.username);
		const list = chatList(page);
		await expect(list.isVisible()).resolves.toBe(true);
		await list.getByRole('link', { name: /Alice Liddell/ }).click();
		await messagesWith(page, 'Hello Bob').waitFor();
		await expect(list.isVisible()).resolves.toBe(false);
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(width).toBeLessThanOrEqual(390);
		await page.getByRole('link', { name: 'Back to conversations' }).click();
		await page.waitForURL(`${server.origin}/`, { waitUntil: 'commit' });
		await expect(list.isVisible()).resolves.toBe(true);
		expect(problems).toEqual([]);
	});

	it('left no console errors', () => {
		expect(alice.problems).toEqual([]);
		expect(bob.problems).toEqual([]);
	});
});
