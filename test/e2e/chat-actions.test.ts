// Message actions in Chromium, people in separate browser contexts (setup through the API, the
// actions through the UI only): reply and jump back past the initial window, find in chat, edit
// with ↑, delete (own, and another's as a group's owner), reactions, pins, receipts ✓ → ✓✓,
// "Read by" in a group, typing, the keyboard on messages, a reaction and an edit made offline
// delivered on reconnect, and axe with the menu, the delete dialog, the pinned and find bars open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { connectClient, waitFor } from '../helpers/sync.js';
import { appendMessage } from '../../src/lib/sync/doc-ops.js';
import { axeViolations, chatList, log, messagesWith, sendMessage, signInWithCookie, waitForState, watchProblems } from './ui.js';

/** Messages written before the test (more than the chat's first window of 60). */
const SEEDED = 80;
const seedId = (i: number) => `seed-${i}`;
const seedText = (i: number) => `seed message ${String(i).padStart(3, '0')}`;

/** A message element by id. */
const byId = (page: Page, id: string) => log(page).locator(`[data-message-id="${id}"]`);

/** Opens a message's actions menu with its button; the menu. */
async function openMenu(page: Page, message: Locator): Promise<Locator> {
	await message.hover();
	await message.getByRole('button', { name: 'Message actions' }).click();
	const menu = page.getByRole('menu', { name: 'Message actions' });
	await menu.waitFor();
	return menu;
}

describe.skipIf(!chromiumAvailable())('message actions in the chat', () => {
	let server: TestServer;
	let browser: Browser;
	const contexts: BrowserContext[] = [];
	let alice: TestUser;
	let bob: TestUser;
	let carol: TestUser;
	let direct = '';
	let group = '';
	let a: { page: Page; context: BrowserContext; problems: string[] };
	let b: { page: Page; context: BrowserContext; problems: string[] };

	async function person(user: TestUser, options: Parameters<Browser['newContext']>[0] = {}) {
		const context = await browser.newContext({ locale: 'en-US', ...options });
		contexts.push(context);
		await signInWithCookie(context, server.origin, user);
		const page = await context.newPage();
		page.setDefaultTimeout(15_000);
		return { page, context, problems: watchProblems(page) };
	}

	async function openChat(page: Page, id: string) {
		await page.goto(`${server.origin}/c/${id}`);
		await page.getByRole('log').waitFor();
	}

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		alice = await signUp(server.url, 'Anna');
		bob = await signUp(server.url, 'Bob');
		carol = await signUp(server.url, 'Carol');
		const conversation = await createConversation(alice, { kind: 'direct', userId: bob.id });
		direct = conversation.id;
		group = (await createConversation(alice, { kind: 'group', title: 'Team', memberIds: [bob.id, carol.id] })).id;
		// History older than the first window, written by a stock client as Anna.
		const writer = connectClient({ url: server.url, docName: conversation.docName, cookie: alice.cookie });
		await writer.synced();
		const start = Date.now() - SEEDED * 1000;
		writer.doc.transact(() => {
			for (let i = 1; i <= SEEDED; i++)
				appendMessage(writer.doc, { id: seedId(i), author: alice.id, createdAt: start + i * 1000, text: seedText(i) });
		});
		const reader = connectClient({ url: server.url, docName: conversation.docName, cookie: bob.cookie });
		await waitFor(() => reader.doc.getArray('messages').length >= SEEDED, { what: 'seeded history stored' });
		writer.destroy();
		reader.destroy();
		a = await person(alice);
		b = await person(bob);
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => {});
		await browser?.close();
		await server?.close();
	});

	it('finds in chat past the loaded window, replies to an old message, and the quote jumps back to it', async () => {
		await openChat(a.page, direct);
		await byId(a.page, seedId(SEEDED)).waitFor();
		// The first window holds the newest 60: message 5 is not loaded yet.
		await expect(byId(a.page, seedId(5)).count()).resolves.toBe(0);

		await a.page.getByRole('button', { name: 'Find in chat' }).click();
		const find = a.page.getByRole('search', { name: 'Find in chat' });
		await find.getByRole('searchbox', { name: 'Search messages' }).fill('seed message 00');
		// 001…009, the newest match first.
		await find.getByText('1 of 9').waitFor();
		await byId(a.page, seedId(9)).and(a.page.locator('.highlighted')).waitFor();
		await find.getByRole('searchbox').press('Enter');
		await find.getByText('2 of 9').waitFor();
		await byId(a.page, seedId(8)).and(a.page.locator('.highlighted')).waitFor();
		await find.getByRole('button', { name: 'Previous match' }).click();
		await find.getByText('3 of 9').waitFor();
		await find.getByRole('searchbox').fill('seed message 005');
		await find.getByText('1 of 1').waitFor();
		await byId(a.page, seedId(5)).waitFor();
		await find.getByRole('searchbox').press('Escape');
		await expect(find.count()).resolves.toBe(0);

		const menu = await openMenu(a.page, byId(a.page, seedId(5)));
		await menu.getByRole('menuitem', { name: 'Reply' }).click();
		await a.page.getByRole('group', { name: /Reply to You/ }).waitFor();
		await sendMessage(a.page, 'answering five');
		const reply = messagesWith(a.page, 'answering five');
		await expect(reply.locator('.quote').textContent()).resolves.toContain(seedText(5));

		// Bob opens the chat fresh: the quoted message is outside his first window, the quote loads back to it.
		await openChat(b.page, direct);
		const his = messagesWith(b.page, 'answering five');
		await his.waitFor();
		await expect(byId(b.page, seedId(5)).count()).resolves.toBe(0);
		await his.getByRole('button', { name: new RegExp(seedText(5)) }).click();
		await byId(b.page, seedId(5)).and(b.page.locator('.highlighted')).waitFor();
		await expect(byId(b.page, seedId(5)).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		await b.page.getByRole('button', { name: /Jump to latest/ }).click();
	});

	it('edits the last own message with ↑; the other side sees the new text and "edited"', async () => {
		await sendMessage(a.page, 'a typo heer');
		const box = a.page.getByRole('textbox', { name: 'Message' });
		await box.press('ArrowUp');
		await a.page.getByRole('group', { name: 'Editing message' }).waitFor();
		await expect(box.inputValue()).resolves.toBe('a typo heer');
		await box.fill('a typo here');
		await box.press('Enter');
		await expect(a.page.getByRole('group', { name: 'Editing message' }).count()).resolves.toBe(0);
		const seen = messagesWith(b.page, 'a typo here');
		await seen.getByText('edited').waitFor();
		await expect(messagesWith(b.page, 'a typo heer').count()).resolves.toBe(0);
		// Esc leaves an edit without saving it.
		await box.press('ArrowUp');
		await expect(box.inputValue()).resolves.toBe('a typo here');
		await box.press('Escape');
		await expect(box.inputValue()).resolves.toBe('');
	});

	it('reacts and un-reacts; the other side sees the chip, its count and who', async () => {
		const target = messagesWith(b.page, 'a typo here');
		const menu = await openMenu(b.page, target);
		await menu.getByRole('menuitem', { name: 'React' }).click();
		await b.page.getByRole('toolbar', { name: 'React' }).getByRole('button', { name: '👍', exact: true }).click();
		const chip = messagesWith(a.page, 'a typo here').getByRole('button', { name: '👍 1: Bob' });
		await chip.waitFor();
		// Anna adds hers by the chip: two now.
		await chip.click();
		await messagesWith(b.page, 'a typo here')
			.getByRole('button', { name: '👍 2: Bob, Anna' })
			.or(messagesWith(b.page, 'a typo here').getByRole('button', { name: '👍 2: Anna, Bob' }))
			.waitFor();
		// Bob takes his back with his chip.
		await messagesWith(b.page, 'a typo here').getByRole('button', { name: /^👍 2/ }).click();
		await messagesWith(a.page, 'a typo here').getByRole('button', { name: '👍 1: Anna' }).waitFor();
		await messagesWith(a.page, 'a typo here').getByRole('button', { name: /^👍 1/ }).click();
		await expect.poll(() => messagesWith(b.page, 'a typo here').getByRole('group', { name: 'Reactions' }).count()).toBe(0);
		// Any emoji from the full picker ("More reactions"), received like the quick ones.
		const again = await openMenu(b.page, target);
		await again.getByRole('menuitem', { name: 'React' }).click();
		await b.page.getByRole('toolbar', { name: 'React' }).getByRole('button', { name: 'More reactions' }).click();
		const picker = b.page.getByRole('dialog', { name: 'More reactions' });
		await picker.getByRole('textbox', { name: 'Search emoji' }).fill('rocket');
		await picker.getByRole('group', { name: 'Search results' }).getByRole('button', { name: '🚀', exact: true }).click();
		await messagesWith(a.page, 'a typo here').getByRole('button', { name: '🚀 1: Bob' }).waitFor();
		// ...and it now leads Bob's quick bar.
		const third = await openMenu(b.page, target);
		await third.getByRole('menuitem', { name: 'React' }).click();
		await expect(b.page.getByRole('toolbar', { name: 'React' }).getByRole('button').first().textContent()).resolves.toBe('🚀');
		await b.page.keyboard.press('Escape');
	});

	it('pins a message; the other side sees the pinned bar and jumps to it', async () => {
		const menu = await openMenu(a.page, byId(a.page, seedId(SEEDED)));
		await menu.getByRole('menuitem', { name: 'Pin' }).click();
		const bar = b.page.getByRole('region', { name: 'Pinned message' });
		await bar.getByText(seedText(SEEDED)).waitFor();
		await bar.getByRole('button').click();
		await byId(b.page, seedId(SEEDED)).and(b.page.locator('.highlighted')).waitFor();
		// The menu now offers "Unpin" instead.
		const again = await openMenu(b.page, byId(b.page, seedId(SEEDED)));
		await again.getByRole('menuitem', { name: 'Unpin' }).waitFor();
		await b.page.keyboard.press('Escape');
		await expect(again.count()).resolves.toBe(0);
	});

	it('works by keyboard on a focused message: Shift+F10 opens the menu, arrows move, Esc returns; R replies', async () => {
		const message = messagesWith(b.page, 'answering five');
		await message.locator('.meta').click();
		await expect(message.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		await b.page.keyboard.press('Shift+F10');
		const menu = b.page.getByRole('menu', { name: 'Message actions' });
		await menu.waitFor();
		await expect(menu.getByRole('menuitem', { name: 'Reply' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		await b.page.keyboard.press('ArrowDown');
		await expect(menu.getByRole('menuitem', { name: 'React' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		// Bob may not edit Anna's message (both people of a direct chat are its owners: he may delete it, R23).
		await expect(menu.getByRole('menuitem', { name: 'Edit' }).count()).resolves.toBe(0);
		await expect(menu.getByRole('menuitem', { name: 'Delete' }).count()).resolves.toBe(1);
		await b.page.keyboard.press('Escape');
		await expect(menu.count()).resolves.toBe(0);
		await expect(message.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		await b.page.keyboard.press('r');
		await b.page.getByRole('group', { name: 'Reply to Anna' }).waitFor();
		await b.page.getByRole('textbox', { name: 'Message' }).press('Escape');
		await expect(b.page.getByRole('group', { name: 'Reply to Anna' }).count()).resolves.toBe(0);
		// "?" lists the shortcuts.
		await message.locator('.meta').click();
		await b.page.keyboard.press('?');
		const dialog = b.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
		await dialog.waitFor();
		await b.page.keyboard.press('Escape');
		await expect(dialog.isVisible()).resolves.toBe(false);
	});

	it('shows typing while the other types, and stops when they send', async () => {
		const box = b.page.getByRole('textbox', { name: 'Message' });
		await box.click();
		await box.pressSequentially('hello th');
		const typing = a.page.getByText('Bob is typing…');
		await typing.waitFor();
		await box.pressSequentially('ere');
		await box.press('Enter');
		await messagesWith(a.page, 'hello there').waitFor();
		await typing.waitFor({ state: 'detached' });
	});

	it('receipts: ✓ while the other is away, ✓✓ once they read it', async () => {
		// Bob looks at another chat meanwhile.
		await chatList(b.page).locator(`a[href="/c/${group}"]`).click();
		await b.page.waitForURL(`${server.origin}/c/${group}`);
		await sendMessage(a.page, 'read me later');
		await waitForState(a.page, 'read me later', 'sent');
		await chatList(b.page).locator(`a[href="/c/${direct}"]`).click();
		await messagesWith(b.page, 'read me later').waitFor();
		await waitForState(a.page, 'read me later', 'read');
	});

	it('deletes own messages after confirming; gone on the other side', async () => {
		await sendMessage(a.page, 'regrettable words');
		await messagesWith(b.page, 'regrettable words').waitFor();
		const menu = await openMenu(a.page, messagesWith(a.page, 'regrettable words'));
		await menu.getByRole('menuitem', { name: 'Delete' }).click();
		const dialog = a.page.getByRole('dialog', { name: 'Delete this message?' });
		// Cancel keeps it.
		await dialog.getByRole('button', { name: 'Cancel' }).click();
		await expect(messagesWith(a.page, 'regrettable words').count()).resolves.toBe(1);
		await (await openMenu(a.page, messagesWith(a.page, 'regrettable words'))).getByRole('menuitem', { name: 'Delete' }).click();
		await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
		await messagesWith(a.page, 'regrettable words').waitFor({ state: 'detached' });
		await messagesWith(b.page, 'regrettable words').waitFor({ state: 'detached' });
	});

	it('in a group: "Read by" lists who read it; the owner deletes a member\'s message', async () => {
		await openChat(a.page, group);
		await openChat(b.page, group);
		await sendMessage(a.page, 'group hello');
		await messagesWith(b.page, 'group hello').waitFor();
		await waitForState(a.page, 'group hello', 'read');
		const menu = await openMenu(a.page, messagesWith(a.page, 'group hello'));
		await menu.getByRole('menuitem', { name: 'Read by' }).click();
		const dialog = a.page.getByRole('dialog', { name: 'Read by' });
		await dialog.getByRole('listitem').filter({ hasText: 'Bob' }).waitFor();
		await expect(dialog.getByRole('listitem').count()).resolves.toBe(1);
		await dialog.getByRole('button', { name: 'Close' }).click();

		await sendMessage(b.page, 'off-topic from bob');
		const theirs = messagesWith(a.page, 'off-topic from bob');
		await theirs.waitFor();
		await (await openMenu(a.page, theirs)).getByRole('menuitem', { name: 'Delete' }).click();
		await a.page.getByRole('dialog', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete', exact: true }).click();
		await messagesWith(b.page, 'off-topic from bob').waitFor({ state: 'detached' });
		// Bob, a member, may not delete Anna's message.
		const his = await openMenu(b.page, messagesWith(b.page, 'group hello'));
		await expect(his.getByRole('menuitem', { name: 'Delete' }).count()).resolves.toBe(0);
		await b.page.keyboard.press('Escape');
	});

	it('a reaction and an edit made offline show at once and arrive after reconnect', async () => {
		await chatList(a.page).locator(`a[href="/c/${direct}"]`).click();
		await chatList(b.page).locator(`a[href="/c/${direct}"]`).click();
		await messagesWith(a.page, 'hello there').waitFor();
		await messagesWith(b.page, 'hello there').waitFor();
		await a.context.setOffline(true);
		await a.page.getByRole('status', { name: 'Connection' }).first().getByText('Offline').waitFor();
		const menu = await openMenu(a.page, messagesWith(a.page, 'hello there'));
		await menu.getByRole('menuitem', { name: 'React' }).click();
		await a.page.getByRole('toolbar', { name: 'React' }).getByRole('button', { name: '❤️', exact: true }).click();
		await messagesWith(a.page, 'hello there').getByRole('button', { name: '❤️ 1: Anna' }).waitFor();
		const box = a.page.getByRole('textbox', { name: 'Message' });
		await box.click();
		await box.press('ArrowUp');
		await expect(box.inputValue()).resolves.toBe('read me later');
		await box.fill('read me later (edited offline)');
		await box.press('Enter');
		await messagesWith(a.page, 'edited offline').getByText('edited', { exact: true }).waitFor();
		await expect(messagesWith(b.page, 'edited offline').count()).resolves.toBe(0);

		await a.context.setOffline(false);
		await messagesWith(b.page, 'hello there').getByRole('button', { name: '❤️ 1: Anna' }).waitFor();
		await messagesWith(b.page, 'read me later (edited offline)').waitFor();
	});

	it('axe: no serious violation with the menu, the delete dialog, the pinned and find bars open (English light, Russian dark)', async () => {
		// A pin for the bar.
		await (await openMenu(a.page, messagesWith(a.page, 'hello there'))).getByRole('menuitem', { name: 'Pin' }).click();
		for (const [locale, theme, names] of [
			['en-US', 'light', { actions: 'Message actions', find: 'Find in chat', del: 'Delete' }],
			['ru-RU', 'dark', { actions: 'Действия с сообщением', find: 'Поиск в чате', del: 'Удалить' }]
		] as const) {
			const { page, context } = await person(alice, { locale, colorScheme: theme });
			await context.addCookies([{ name: 'parley-theme', value: theme, url: server.origin }]);
			await openChat(page, direct);
			await page.getByRole('region').filter({ hasText: 'hello there' }).waitFor();
			await page.getByRole('button', { name: names.find }).click();
			await page.getByRole('search', { name: names.find }).getByRole('searchbox').fill('hello');
			const mine = messagesWith(page, 'read me later');
			await mine.hover();
			await mine.getByRole('button', { name: names.actions }).click();
			await page.getByRole('menu').waitFor();
			expect(await axeViolations(page), `${locale} ${theme}: menu, pinned and find bars`).toEqual([]);
			await page.getByRole('menuitem', { name: names.del }).click();
			await page.getByRole('dialog').waitFor();
			expect(await axeViolations(page), `${locale} ${theme}: delete dialog`).toEqual([]);
			await page.keyboard.press('Escape');
			await context.close();
		}
	});

	it('left no console errors', () => {
		expect(a.problems).toEqual([]);
		expect(b.problems).toEqual([]);
	});
});
