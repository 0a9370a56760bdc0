// A send before the conversation's document has loaded (issue 17, finding 3), in Chromium: the
// document's IndexedDB copy is held by an upgrade that the page itself started (the app's own
// open waits behind it, as it would behind a slow disk), and the person sends a message and a
// sticker meanwhile. Both show at once as pending, the composer is empty, both are in the
// persisted outbox, and after a reload both are delivered exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { log, messagesWith, sendMessage, signInWithCookie, waitForState, watchProblems } from './ui.js';

/** sessionStorage key: when set, the next page load holds that IndexedDB database until `__releaseDoc()`. */
const BLOCK = 'e2e.block-doc';

/**
 * Runs before the app on every load: when asked, opens the named database one version up and
 * keeps that upgrade's transaction busy, so every other open of it waits (the app's load of the
 * document) until the page calls `__releaseDoc()`.
 */
function holdDocDatabase(key: string): void {
	const name = sessionStorage.getItem(key);
	if (!name) return;
	sessionStorage.removeItem(key);
	let held = true;
	(globalThis as unknown as { __releaseDoc: () => void }).__releaseDoc = () => (held = false);
	void indexedDB.databases().then((list) => {
		const version = list.find((d) => d.name === name)?.version ?? 1;
		const request = indexedDB.open(name, version + 1);
		request.onupgradeneeded = () => {
			const store = request.transaction!.objectStore('updates');
			const spin = () => {
				if (held) store.count().onsuccess = spin;
			};
			spin();
		};
		request.onsuccess = () => request.result.close();
	});
}

/** Outbox records stored for `docName` in the user's database. */
function storedRecords(page: Page, userId: string, docName: string): Promise<number> {
	return page.evaluate(
		([userId, docName]) =>
			new Promise<number>((resolve, reject) => {
				const request = indexedDB.open(`parley.${userId}`);
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					const keys = db.transaction('outbox').objectStore('outbox').getAllKeys();
					keys.onsuccess = () => {
						db.close();
						resolve((keys.result as string[]).filter((k) => k.startsWith(docName + '\u0000')).length);
					};
				};
			}),
		[userId, docName] as const
	);
}

const stickerMessage = (page: Page, name: string): Locator =>
	log(page)
		.locator('article[data-message-id]')
		.filter({ has: page.getByRole('img', { name, exact: true }) });

describe.skipIf(!chromiumAvailable())('send before the document loaded', () => {
	let server: TestServer;
	let browser: Browser;
	const contexts: BrowserContext[] = [];
	let alice: TestUser, bob: TestUser;
	let chat: { id: string; docName: string };

	async function page(user: TestUser): Promise<{ page: Page; problems: string[] }> {
		const context = await browser.newContext({ locale: 'en-US' });
		contexts.push(context);
		await signInWithCookie(context, server.origin, user);
		const p = await context.newPage();
		p.setDefaultTimeout(15_000);
		await p.addInitScript(holdDocDatabase, BLOCK);
		return { page: p, problems: watchProblems(p) };
	}

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		[alice, bob] = await Promise.all([signUp(server.url, 'Alice'), signUp(server.url, 'Bob')]);
		chat = await createConversation(alice, { kind: 'direct', userId: bob.id });
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => {});
		await browser?.close();
		await server?.close();
	});

	it('a message and a sticker sent while the document loads: pending at once, persisted, delivered once after a reload', async () => {
		const a = await page(alice);
		await a.page.goto(`${server.origin}/c/${chat.id}`);
		await sendMessage(a.page, 'before the hold');
		await waitForState(a.page, 'before the hold', 'sent');

		// the next load holds this conversation's local copy: the document cannot load
		await a.page.evaluate(([key, name]) => sessionStorage.setItem(key, name), [BLOCK, `parley.${alice.id}.doc.${chat.docName}`] as const);
		await a.page.reload();
		await a.page.getByRole('textbox', { name: 'Message' }).waitFor();
		await expect(a.page.evaluate(() => typeof (globalThis as { __releaseDoc?: unknown }).__releaseDoc)).resolves.toBe('function');
		await expect(messagesWith(a.page, 'before the hold').count()).resolves.toBe(0); // not loaded

		await sendMessage(a.page, 'typed before the load');
		await waitForState(a.page, 'typed before the load', 'pending');
		await a.page.getByRole('button', { name: 'Stickers' }).click();
		await a.page.getByRole('dialog', { name: 'Stickers' }).getByRole('button', { name: 'Thanks', exact: true }).click();
		await stickerMessage(a.page, 'Thanks').and(a.page.locator('[data-state="pending"]')).waitFor();
		await expect.poll(() => storedRecords(a.page, alice.id, chat.docName)).toBe(2);
		await expect(messagesWith(a.page, 'before the hold').count()).resolves.toBe(0); // still not loaded

		// the tab reloads before the document ever loaded (nothing holds it this time)
		await a.page.reload();
		await waitForState(a.page, 'typed before the load', ['sent', 'read']);
		await stickerMessage(a.page, 'Thanks').and(a.page.locator('[data-state="sent"], [data-state="read"]')).waitFor();
		await expect.poll(() => storedRecords(a.page, alice.id, chat.docName)).toBe(0);

		const b = await page(bob);
		await b.page.goto(`${server.origin}/c/${chat.id}`);
		await stickerMessage(b.page, 'Thanks').waitFor();
		await expect(messagesWith(b.page, 'typed before the load').count()).resolves.toBe(1);
		await expect(stickerMessage(b.page, 'Thanks').count()).resolves.toBe(1);
		await expect(messagesWith(a.page, 'typed before the load').count()).resolves.toBe(1);
		expect(a.problems).toEqual([]);
		expect(b.problems).toEqual([]);
	});
});
