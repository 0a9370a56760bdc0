// What a person does in the app, in SPEC §7 names (English UI), for the app's browser tests.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { TestUser } from '../helpers/users.js';

/** A password good enough for the server's rules. */
export const UI_PASSWORD = 'a long enough ui passphrase';

let counter = 0;
/** A username unique to this test run. */
export function uniqueName(base: string): string {
	return `${base}_${process.pid % 1000}_${++counter}`.toLowerCase();
}

/** Console errors and uncaught exceptions of a page (4xx answers are expected: signed-out checks). */
export function watchProblems(page: Page): string[] {
	const problems: string[] = [];
	page.on('pageerror', (error) => problems.push(error.message));
	page.on('console', (message) => {
		// Expected, and logged by the browser itself: 4xx answers (the signed-out check, a socket refused
		// for a conversation not one's own) and sockets failing while the test holds the browser offline.
		if (message.type() === 'error' && !/status of 4\d\d|response code: 4\d\d|ERR_INTERNET_DISCONNECTED/.test(message.text()))
			problems.push(message.text());
	});
	return problems;
}

/** Signs up through the registration page; lands in the app's chat list. */
export async function registerInUi(page: Page, origin: string, username: string, displayName: string): Promise<void> {
	await page.goto(`${origin}/register`);
	await page.getByRole('textbox', { name: 'Username' }).fill(username);
	await page.getByRole('textbox', { name: 'Display name' }).fill(displayName);
	await page.getByLabel('Password', { exact: true }).fill(UI_PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.waitForURL(`${origin}/`, { waitUntil: 'commit' });
	await chatList(page).waitFor();
}

/** Signs in through the sign-in page; lands in the app's chat list. */
export async function signInInUi(page: Page, origin: string, username: string, password = UI_PASSWORD): Promise<void> {
	await page.goto(`${origin}/login`);
	await page.getByRole('textbox', { name: 'Username' }).fill(username);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(`${origin}/`, { waitUntil: 'commit' });
	await chatList(page).waitFor();
}

/** Gives a browser context the session of a user made through the API (faster than the form). */
export async function signInWithCookie(context: BrowserContext, origin: string, user: TestUser): Promise<void> {
	const cookies = user.cookie.split(';').map((pair) => {
		const eq = pair.indexOf('=');
		return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), url: origin };
	});
	await context.addCookies(cookies);
}

/** The chat list landmark. */
export function chatList(page: Page): Locator {
	return page.getByRole('navigation', { name: 'Conversations' });
}

/** Opens the new-chat dialog, finds `displayName` and opens the direct conversation; its id. */
export async function startDirectChat(page: Page, search: string, displayName: string): Promise<string> {
	await page.getByRole('button', { name: 'New chat' }).click();
	const dialog = page.getByRole('dialog', { name: 'New chat' });
	await dialog.getByRole('textbox', { name: 'Search people' }).fill(search);
	await dialog.getByRole('button', { name: displayName }).click();
	await page.waitForURL(/\/c\/[^/]+$/);
	return new URL(page.url()).pathname.split('/').pop()!;
}

/** Waits until the app's connection status says "Up to date" (the relay has answered). */
export async function upToDate(page: Page): Promise<void> {
	await page.getByRole('status', { name: 'Connection' }).first().getByText('Up to date').waitFor();
}

/** The message log. */
export function log(page: Page): Locator {
	return page.getByRole('log');
}

/** Message elements holding `text`. */
export function messagesWith(page: Page, text: string): Locator {
	return log(page).locator('[data-message-id]').filter({ hasText: text });
}

/** Types into the composer and sends with Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
	const box = page.getByRole('textbox', { name: 'Message' });
	await box.fill(text);
	await box.press('Enter');
	// Sent: the composer empties (a wait that also works outside a test body, e.g. in beforeAll).
	await box.and(page.locator('textarea:placeholder-shown')).waitFor();
}

type State = 'pending' | 'sent' | 'read';
/** Waits until an own message with `text` shows `state` (or one of several: "sent" may already be "read"). */
export async function waitForState(page: Page, text: string, state: State | State[]): Promise<void> {
	const selector = [state]
		.flat()
		.map((s) => `[data-state="${s}"]`)
		.join(', ');
	await messagesWith(page, text).and(page.locator(selector)).waitFor();
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** Runs axe-core in the page (injected as source: the CSP forbids inline script tags); serious and critical violations. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; help: string; targets: string[] }[]> {
	axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	// Colours are read as drawn: after a theme switch (emulateMedia) the buttons' colour transitions
	// run for a moment, and a contrast check taken mid-way reads colours neither theme has.
	await page.waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'));
	await page.evaluate(axeSource);
	return page.evaluate(async () => {
		const axe = (
			globalThis as unknown as {
				axe: {
					run(
						context: Document,
						options: object
					): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
				};
			}
		).axe;
		const result = await axe.run(document, { resultTypes: ['violations'] });
		return result.violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
	});
}
