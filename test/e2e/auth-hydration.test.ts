// Issue 21 item 16, "the unexplained sign-up wait": under load the page's JavaScript arrives after
// the person (or the test) has typed. The forms rendered their inputs with `value={…}`, so
// hydration wrote '' over what was typed; "Create account" then failed the browser's own
// `required` check and nothing navigated: `waitForURL('/')` waited its 30 s. Here the script is
// held back until the fields are filled, deterministically, and the sign-up and sign-in must work.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatList, uniqueName, UI_PASSWORD } from './ui.js';

/** Holds every app script until `release()`; the server-rendered form shows at once, unhydrated. */
async function holdScripts(page: Page): Promise<() => void> {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	// Scripts only: a held stylesheet would hold the whole page (the inline start script waits on it).
	await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
		await released;
		await route.continue();
	});
	return release;
}

/** Hydration finished: the root layout marks `<html data-hydrated>` once mounted. */
const hydrated = (page: Page) => page.locator('html[data-hydrated]').waitFor({ state: 'attached' });

describe.skipIf(!chromiumAvailable())('auth forms typed into before hydration (issue 21 item 16)', () => {
	let server: TestServer;
	let browser: Browser;
	const evidence = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-hydration-'));

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
		if (process.env.KEEP_EVIDENCE) console.log('evidence in', evidence);
		else fs.rmSync(evidence, { recursive: true, force: true });
	});

	it('keeps what was typed into the sign-up form before hydration, and "Create account" lands in the app', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		const page = await context.newPage();
		const release = await holdScripts(page);
		await page.goto(`${server.origin}/register`, { waitUntil: 'domcontentloaded' });
		const username = uniqueName('early');
		await page.getByRole('textbox', { name: 'Username' }).fill(username);
		await page.getByRole('textbox', { name: 'Display name' }).fill('Early Bird');
		await page.getByLabel('Password', { exact: true }).fill(UI_PASSWORD);
		release();
		await hydrated(page);
		// Before the fix: '' here (hydration wrote the server's empty value over the typed one).
		try {
			await expect(page.getByRole('textbox', { name: 'Username' }).inputValue()).resolves.toBe(username);
			await expect(page.getByRole('textbox', { name: 'Display name' }).inputValue()).resolves.toBe('Early Bird');
		} catch (error) {
			await page.screenshot({ path: path.join(evidence, 'register-after-hydration.png') });
			throw error;
		}
		await page.getByRole('button', { name: 'Create account' }).click();
		await page.waitForURL(`${server.origin}/`, { waitUntil: 'commit', timeout: 15_000 });
		await chatList(page).waitFor();
		await context.close();
	});

	it('keeps the username typed into the sign-in form before hydration, and "Sign in" lands in the app', async () => {
		const username = uniqueName('later');
		const register = await fetch(`${server.url}/api/auth/register`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.origin },
			body: JSON.stringify({ username, password: UI_PASSWORD })
		});
		expect(register.status).toBe(201);
		const context = await browser.newContext({ locale: 'en-US' });
		const page = await context.newPage();
		const release = await holdScripts(page);
		await page.goto(`${server.origin}/login`, { waitUntil: 'domcontentloaded' });
		await page.getByRole('textbox', { name: 'Username' }).fill(username);
		await page.getByLabel('Password', { exact: true }).fill(UI_PASSWORD);
		release();
		await hydrated(page);
		await expect(page.getByRole('textbox', { name: 'Username' }).inputValue()).resolves.toBe(username);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL(`${server.origin}/`, { waitUntil: 'commit', timeout: 15_000 });
		await chatList(page).waitFor();
		await context.close();
	});
});
