// The app shell renders in a real Chromium, under the security policy, without console errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Skipped only when no Chromium is installed (chromiumAvailable() warns loudly; E2E_REQUIRED=1 fails).
describe.skipIf(!chromiumAvailable())('app shell in Chromium', () => {
	let server: TestServer;
	let browser: Browser;
	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('renders the first page with no console errors or CSP violations', async () => {
		const page = await browser.newPage({ locale: 'en-US' });
		const problems: string[] = [];
		page.on('console', (message) => {
			// The app asks /api/me once to learn that nobody is signed in: that 401 is expected.
			if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(message.text());
		});
		page.on('pageerror', (error) => problems.push(error.message));
		const response = await page.goto(server.origin);
		expect(response?.status()).toBe(200);
		// Signed out, the app sends the visitor to the sign-in page.
		await page.waitForURL(`${server.origin}/login`);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Sign in');
		await expect(page.getByRole('banner').getByRole('link', { name: 'Parley' }).count()).resolves.toBe(1);
		expect(problems).toEqual([]);
		await page.close();
	});
});
