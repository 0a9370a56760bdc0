// The admin panel in Chromium on a phone-sized screen: live figures change when a message is sent
// elsewhere (SSE, no reload); "Remove" on a recent message makes it vanish from another member's
// open client; the demo warning; no axe violations; Russian; members get 403; people delete their
// own account from Settings → Security.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { signUp, createConversation, type TestUser } from '../helpers/users.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../helpers/sync.js';

const AXE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };

async function axeViolations(page: Page): Promise<string[]> {
	// Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays on.
	await page.evaluate(AXE);
	const result = await page.evaluate(async () =>
		(window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run()
	);
	return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(!chromiumAvailable())('admin panel in Chromium', () => {
	let server: TestServer;
	let browser: Browser;
	let admin: TestUser, ann: TestUser, ben: TestUser;
	const clients: SyncClient[] = [];
	const contexts: BrowserContext[] = [];

	async function pageAs(user: TestUser, locale = 'en-US'): Promise<Page> {
		const context = await browser.newContext({ locale, viewport: PHONE, isMobile: true, hasTouch: true });
		contexts.push(context);
		const [name, value] = user.cookie.split('=') as [string, string];
		await context.addCookies([{ name, value, url: server.origin }]);
		return context.newPage();
	}

	beforeAll(async () => {
		server = await startTestServer();
		admin = await signUp(server.url, 'chief');
		ann = await signUp(server.url, 'ann');
		ben = await signUp(server.url, 'ben');
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		for (const c of contexts) await c.close();
		await browser?.close();
		await server?.close();
	});

	it('shows live figures that change when a message is sent elsewhere, without a reload', async () => {
		const page = await pageAs(admin);
		await page.goto(`${server.origin}/admin`);
		await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
		const total = page.locator('[data-figure="messages-total"] dd');
		await expect(total.textContent()).resolves.toBe('0');
		await page.getByText('Updating live').waitFor();
		const chat = await createConversation(ann, { kind: 'direct', userId: ben.id });
		const writer = connectClient({ url: server.url, docName: chat.docName, cookie: ann.cookie });
		clients.push(writer);
		await writer.synced();
		writer.doc.getArray('messages').push([{ id: 'live-1', author: ann.id, createdAt: Date.now(), text: 'hello from elsewhere' }]);
		await page.waitForFunction(() => document.querySelector('[data-figure="messages-total"] dd')?.textContent === '1', undefined, {
			timeout: 20_000
		});
		await expect(page.locator('[data-figure="sockets"] dd').textContent()).resolves.toBe('1');
		expect(await axeViolations(page)).toEqual([]);
		// Fits a phone: nothing wider than the screen.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
	});

	it('removes a message: it vanishes from another member’s open client', async () => {
		const chat = await createConversation(ann, { kind: 'direct', userId: ben.id });
		const bens = connectClient({ url: server.url, docName: chat.docName, cookie: ben.cookie });
		clients.push(bens);
		await bens.synced();
		await waitFor(() => messagesOf(bens.doc).some((m) => m.id === 'live-1'), { what: 'ben sees the message' });
		const page = await pageAs(admin);
		await page.goto(`${server.origin}/admin`);
		const item = page.locator('[data-admin-message="live-1"]');
		await item.waitFor();
		await item.getByRole('button', { name: /^Remove/ }).click();
		await waitFor(() => !messagesOf(bens.doc).some((m) => m.id === 'live-1'), { what: 'message gone from ben’s open client' });
		await item.waitFor({ state: 'detached' });
		await page.getByRole('status').filter({ hasText: 'Done.' }).first().waitFor();
	});

	it('warns about demo accounts, speaks Russian, and refuses members', async () => {
		await server.db.query(`update users set demo = true where id = $1`, [ben.id]);
		const page = await pageAs(admin, 'ru-RU');
		await page.goto(`${server.origin}/admin`);
		await page.getByRole('heading', { level: 1, name: 'Администрирование' }).waitFor();
		await expect(page.getByRole('alert').filter({ hasText: 'демо-аккаунты' }).count()).resolves.toBe(1);
		expect(await axeViolations(page)).toEqual([]);
		const member = await pageAs(ann);
		const response = await member.goto(`${server.origin}/admin`);
		expect(response?.status()).toBe(403);
	});

	it('lets people delete their own account from Settings → Security with their password', async () => {
		const leaver = await signUp(server.url, 'leaver');
		const page = await pageAs(leaver);
		await page.goto(`${server.origin}/settings/security`);
		const section = page.getByRole('region', { name: 'Delete account' });
		await section.getByLabel('Password').fill(`correct horse ${leaver.username} battery`);
		await section.getByRole('button', { name: 'Delete account' }).click();
		await page.waitForURL(/\/login/);
		expect(await server.db.query('select 1 from users where id = $1', [leaver.id])).toHaveLength(0);
	});
});
