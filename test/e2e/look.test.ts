// The look (issue 17, finding 9): no button relies on an emoji glyph where an icon is meant (with no
// emoji font, as Debian's Chromium ships, such a glyph is an empty box); on a 390 px phone the
// message box keeps at least 55% of the width, the other tools folded behind "More actions"; the
// chat list shows a Markdown message as plain words; a signed-out visit logs nothing to the console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { chatList, messagesWith, sendMessage, signInWithCookie } from './ui.js';

const PHONE = { width: 390, height: 844 };

/**
 * Buttons, links, menu items and tabs on screen whose content holds a pictograph or symbol glyph
 * (non-ASCII) that is not part of their accessible name: a glyph drawn as an icon. Emoji as
 * content (a reaction chip "👍 1: Bob", a picker cell "👍") are named by the emoji and pass.
 */
function glyphIcons(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const GLYPH = /[\p{Extended_Pictographic}\p{So}\p{Sm}]/u;
		const found: string[] = [];
		for (const el of document.querySelectorAll<HTMLElement>('button, a[href], [role="menuitem"], [role="tab"], [role="button"]')) {
			if (el.getClientRects().length === 0) continue;
			const glyphs = [...(el.textContent ?? '')].filter((c) => c.codePointAt(0)! > 0x7f && GLYPH.test(c));
			if (glyphs.length === 0) continue;
			// the accessible name: aria-label, else the text without aria-hidden parts
			const copy = el.cloneNode(true) as HTMLElement;
			for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
			const name = el.getAttribute('aria-label') ?? copy.textContent ?? '';
			if (glyphs.some((g) => !name.includes(g))) found.push(`${el.tagName} "${name.trim()}": ${glyphs.join('')}`);
		}
		return found;
	});
}

describe.skipIf(!chromiumAvailable())('the look: icons, the phone composer, previews', () => {
	let server: TestServer;
	let browser: Browser;
	let alice: TestUser;
	let conversationId = '';

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		alice = await signUp(server.url, 'Alice');
		const bob = await signUp(server.url, 'Bob');
		conversationId = (await createConversation(alice, { kind: 'group', title: 'Look', memberIds: [bob.id] })).id;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('draws every button without an emoji glyph; the list previews Markdown as plain words', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		await signInWithCookie(context, server.origin, alice);
		const page = await context.newPage();
		await page.goto(`${server.origin}/c/${conversationId}`);
		await sendMessage(page, 'see **bold** words');
		await messagesWith(page, 'see bold words').waitFor();
		const link = chatList(page).getByRole('link', { name: /Look/ });
		await link.filter({ hasText: 'see bold words' }).waitFor();
		await expect(link.textContent()).resolves.not.toContain('**');
		expect(await glyphIcons(page), 'chat').toEqual([]);

		await messagesWith(page, 'see bold words').click({ button: 'right' });
		await page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'React' }).click();
		await page.getByRole('toolbar', { name: 'React' }).waitFor();
		expect(await glyphIcons(page), 'reaction bar').toEqual([]);
		await page.keyboard.press('Escape');

		await page.getByRole('button', { name: 'Find in chat' }).click();
		await page.getByRole('search', { name: 'Find in chat' }).waitFor();
		expect(await glyphIcons(page), 'find bar').toEqual([]);
		await page.keyboard.press('Escape');

		await page.getByRole('button', { name: 'Emoji', exact: true }).click();
		const picker = page.getByRole('dialog', { name: 'Choose an emoji' });
		await picker.getByRole('button', { name: 'Flags' }).waitFor();
		expect(await glyphIcons(page), 'emoji picker').toEqual([]);
		await page.keyboard.press('Escape');
		await picker.waitFor({ state: 'detached' });

		await page.getByRole('button', { name: 'Conversation info' }).click();
		const info = page.getByRole('dialog', { name: 'Conversation info' });
		await info.getByText('Members: 2').waitFor();
		// the picture is chosen with the kit's file picker, not the browser's raw control
		const input = info.getByLabel('Change picture');
		await input.waitFor({ state: 'attached' });
		expect((await input.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
		expect(await glyphIcons(page), 'info panel').toEqual([]);
		await context.close();
	});

	it('on a 390 px phone the message box keeps at least 55% of the width; the tools are one menu away', async () => {
		const context = await browser.newContext({ locale: 'en-US', viewport: PHONE, isMobile: true, hasTouch: true });
		await signInWithCookie(context, server.origin, alice);
		const page = await context.newPage();
		await page.goto(`${server.origin}/c/${conversationId}`);
		const box = page.getByRole('textbox', { name: 'Message' });
		await box.waitFor();
		const width = (await box.boundingBox())!.width;
		expect(width / PHONE.width).toBeGreaterThanOrEqual(0.55);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
		expect(await glyphIcons(page), 'phone chat').toEqual([]);

		await page.getByRole('button', { name: 'More actions' }).click();
		const menu = page.getByRole('menu', { name: 'More actions' });
		for (const name of ['Attach', 'Emoji', 'Stickers']) await menu.getByRole('menuitem', { name }).waitFor();
		expect(await glyphIcons(page), 'phone menu').toEqual([]);
		await menu.getByRole('menuitem', { name: 'Stickers' }).click();
		const stickers = page.getByRole('dialog', { name: 'Stickers' });
		await stickers.waitFor();
		await page.keyboard.press('Escape');
		await stickers.waitFor({ state: 'hidden' });
		// focus went back to the menu's button
		await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('More actions');
		await context.close();
	});

	it('a signed-out visit lands on the sign-in page with nothing in the console', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		const page = await context.newPage();
		const logged: string[] = [];
		page.on('console', (message) => logged.push(`${message.type()}: ${message.text()}`));
		page.on('pageerror', (error) => logged.push(error.message));
		await page.goto(`${server.origin}/`);
		await page.waitForURL(/\/login/);
		await page.getByRole('button', { name: 'Sign in' }).waitFor();
		await page.goto(`${server.origin}/login`);
		await page.getByRole('button', { name: 'Sign in' }).waitFor();
		expect(logged).toEqual([]);
		await context.close();
	});
});
