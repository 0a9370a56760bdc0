// The account pages in Chromium: sign up, turn on two-step verification with the secret read
// from the page, sign out, sign in with a TOTP code, list sessions and sign another one out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TestClient } from '../helpers/http.js';

const PASSWORD = 'a quite long browser passphrase';
const STEP_MS = 30_000;

describe.skipIf(!chromiumAvailable())('account pages in Chromium', () => {
	let server: TestServer;
	let browser: Browser;
	// The server's clock, moved a TOTP step on instead of waiting 30 s for a fresh code.
	let offset = 0;
	const now = () => Date.now() + offset;
	const totp = (secret: string) => generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(now() / STEP_MS)), 6);

	beforeAll(async () => {
		server = await startTestServer({ now });
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	function watchProblems(page: Page): string[] {
		const problems: string[] = [];
		page.on('pageerror', (error) => problems.push(error.message));
		page.on('console', (message) => {
			if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(message.text());
		});
		return problems;
	}

	it('signs up, enables 2FA, signs out, signs in with a code, and signs another session out', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		const page = await context.newPage();
		const problems = watchProblems(page);

		await page.goto(`${server.origin}/register`);
		await page.getByRole('textbox', { name: 'Username' }).fill('Browser_Bea');
		await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
		await page.getByRole('button', { name: 'Create account' }).click();
		await page.waitForURL(`${server.origin}/`, { waitUntil: 'commit' });
		// The app opens on the chat list.
		await page.getByRole('navigation', { name: 'Conversations' }).waitFor();

		await page.goto(`${server.origin}/settings/security`);
		await page.getByRole('button', { name: 'Set up two-step verification' }).click();
		const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		await expect(page.getByRole('img', { name: 'QR code for your authenticator app' }).getAttribute('src')).resolves.toMatch(
			/^data:image\/png;base64,/
		);
		await page.getByRole('textbox', { name: 'Code' }).fill(totp(secret));
		await page.getByRole('button', { name: 'Turn on' }).click();
		const codes = page.locator('ul.codes li');
		await codes.first().waitFor();
		expect(await codes.count()).toBe(10);

		await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(`${server.origin}/login`);

		offset += STEP_MS; // the enabling code's step is spent
		await page.getByRole('textbox', { name: 'Username' }).fill('browser_bea');
		await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL(`${server.origin}/login/2fa`);
		await page.getByRole('textbox', { name: 'Code' }).fill(totp(secret));
		await page.getByRole('button', { name: 'Verify' }).click();
		await page.waitForURL(`${server.origin}/`, { waitUntil: 'commit' });
		await page.getByRole('navigation', { name: 'Conversations' }).waitFor();

		// A second device signs in through the API (password, then a code of the next step).
		offset += STEP_MS;
		const phone = new TestClient(server.url, { 'user-agent': 'Phone Browser/9' });
		expect((await phone.post('/api/auth/login', { username: 'browser_bea', password: PASSWORD })).data).toEqual({
			twoFactorRequired: true
		});
		expect((await phone.post('/api/auth/2fa/verify', { code: totp(secret) })).status).toBe(200);

		await page.goto(`${server.origin}/settings/security`);
		const sessions = page.getByRole('list', { name: 'Sessions' });
		await expect(sessions.getByRole('listitem').count()).resolves.toBe(2);
		const phoneEntry = sessions.getByRole('listitem').filter({ hasText: 'Phone Browser/9' });
		await expect(sessions.getByRole('listitem').filter({ hasText: 'This device' }).count()).resolves.toBe(1);
		const ended = new Promise<string[]>((resolve) =>
			server.parley.runtime.events.once('sessionsEnded', ({ sessionIds }) => resolve(sessionIds))
		);
		await phoneEntry.getByRole('button', { name: 'Sign out' }).click();
		expect(await ended).toHaveLength(1);
		await phoneEntry.waitFor({ state: 'detached' });
		expect((await phone.get('/api/me')).status).toBe(401);
		expect(problems).toEqual([]);
		await context.close();
	});

	it('speaks Russian to a Russian browser and switches to English on request', async () => {
		const context = await browser.newContext({ locale: 'ru-RU' });
		const page = await context.newPage();
		await page.goto(`${server.origin}/login`);
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ru');
		await page.getByRole('button', { name: 'Войти' }).waitFor();
		await page.getByRole('combobox', { name: 'Язык' }).selectOption('en');
		await page.getByRole('button', { name: 'Сменить язык' }).click();
		await page.getByRole('button', { name: 'Sign in' }).waitFor();
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
		await context.close();
	});

	it('shows wrong credentials as an alert and renders names as text', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		const page = await context.newPage();
		await page.goto(`${server.origin}/login`);
		await page.getByRole('textbox', { name: 'Username' }).fill('<img src=x onerror=alert(1)>');
		await page.getByLabel('Password', { exact: true }).fill('wrong password here');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong username or password.');
		await expect(page.locator('main img').count()).resolves.toBe(0);
		await context.close();
	});
});
