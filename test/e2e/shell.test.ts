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
		const page = await browser.newPage();
		const problems: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error') problems.push(message.text());
		});
		page.on('pageerror', (error) => problems.push(error.message));
		const response = await page.goto(server.origin);
		expect(response?.status()).toBe(200);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Parley');
		expect(problems).toEqual([]);
		await page.close();
	});
});
