// Notifications in Chromium (issue 19, the browser half), in a persistent profile as an installed
// app has: the service worker's push handler, driven by the DevTools protocol
// (ServiceWorker.deliverPushMessage), shows a notification (read back with
// registration.getNotifications()), keeps one per conversation, and shows nothing while that chat
// is open in the focused window; a `read` push closes it. The unread total in the title and the
// app badge; the mention picker by keyboard; Settings → Notifications (this device, the devices
// list); the chat list's @ and "Next mention"; the hidden app's own notifications (no push), closed
// once read; the one-time offer with "Not now"; axe on the settings screen, the offer and the
// picker, English and Russian.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, launchPersistent } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { TestClient } from '../helpers/http.js';
import { connectClient, waitFor, type SyncClient } from '../helpers/sync.js';
import { appendMessage } from '../../src/lib/sync/doc-ops.js';
import { axeViolations, chatList, signInWithCookie, watchProblems } from './ui.js';

/** A loopback "push service" the server may use (PUSH_ALLOWED_HOSTS); nothing listens there. */
const PUSH_HOST = '127.0.0.1:9';

/** A subscription body as a browser makes one (a real P-256 key and a 16-byte secret). */
function fakeSubscription(name: string) {
	const ecdh = crypto.createECDH('prime256v1');
	ecdh.generateKeys();
	return {
		endpoint: `http://${PUSH_HOST}/push/${name}`,
		keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: crypto.randomBytes(16).toString('base64url') }
	};
}

interface Shown {
	title: string;
	body: string;
	tag: string;
}

describe.skipIf(!chromiumAvailable())('notifications in Chromium', () => {
	let server: TestServer;
	let origin: string;
	let profile: Awaited<ReturnType<typeof launchPersistent>>;
	let context: BrowserContext;
	let page: Page;
	let cdp: CDPSession;
	let problems: string[];
	let alice: TestUser;
	let bob: TestUser;
	let carol: TestUser;
	let direct: { id: string; docName: string };
	let group: { id: string; docName: string };
	let bobWriter: SyncClient;
	let registrationId = '';
	let browser: Browser | undefined;

	/** Delivers a push with this JSON plaintext to the page's worker, as a push service would. */
	async function push(data: object): Promise<void> {
		await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(data) });
	}

	/**
	 * Delivers `data` until `done` holds: Chromium now and then drops a push delivered while the
	 * worker starts up, and each push here is idempotent (one notification per tag, a read closes).
	 */
	async function pushUntil(data: object, done: () => Promise<boolean>, what: string): Promise<void> {
		await waitFor(
			async () => {
				await push(data);
				for (let i = 0; i < 20; i++) {
					if (await done()) return true;
					await page.waitForTimeout(50);
				}
				return false;
			},
			{ what, timeoutMs: 15_000 }
		);
	}
	const pushUntilShown = (data: object, tag: string, text: string) =>
		pushUntil(data, async () => (await shown(tag)).some((n) => n.body.includes(text)), `a notification saying ${text}`);

	/** The notifications the worker shows now (all, or those with `tag`). */
	function shown(tag?: string): Promise<Shown[]> {
		return page.evaluate(async (t) => {
			const registration = await navigator.serviceWorker.ready;
			const list = await registration.getNotifications(t ? { tag: t } : undefined);
			return list.map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
		}, tag);
	}

	const messagePush = (conversationId: string, count: number, text: string) => ({
		v: 1,
		kind: 'message',
		conversationId,
		tag: `conv:${conversationId}`,
		url: `/c/${conversationId}`,
		count,
		messageId: `m-${count}`,
		at: Date.now(),
		mention: false,
		sender: { id: 'someone', name: 'Bob' },
		conversation: { kind: 'direct', title: 'Bob' },
		text
	});

	function bobSays(text: string) {
		appendMessage(bobWriter.doc, { id: crypto.randomUUID(), author: bob.id, createdAt: Date.now(), text });
	}

	beforeAll(async () => {
		server = await startTestServer({ env: { PUSH_ALLOWED_HOSTS: PUSH_HOST } });
		origin = server.origin;
		alice = await signUp(server.url, 'Alice');
		bob = await signUp(server.url, 'Bob');
		carol = await signUp(server.url, 'Carol');
		direct = await createConversation(alice, { kind: 'direct', userId: bob.id });
		group = await createConversation(alice, { kind: 'group', title: 'Team', memberIds: [bob.id, carol.id] });
		bobWriter = connectClient({ url: server.url, docName: direct.docName, cookie: bob.cookie });
		await bobWriter.synced();

		profile = await launchPersistent();
		context = profile.context;
		await context.grantPermissions(['notifications'], { origin });
		// Records what the app puts on its icon (Chromium has no badge to read back headless).
		await context.addInitScript(() => {
			const w = window as unknown as { badges: (number | null)[] };
			w.badges = [];
			const nav = navigator as Navigator & { setAppBadge: (n?: number) => Promise<void>; clearAppBadge: () => Promise<void> };
			nav.setAppBadge = async (n?: number) => void w.badges.push(n ?? null);
			nav.clearAppBadge = async () => void w.badges.push(0);
		});
		await signInWithCookie(context, origin, alice);
		page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(15_000);
		problems = watchProblems(page);
		cdp = await context.newCDPSession(page);
		const registered = new Promise<string>((resolve) => {
			cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
				const mine = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
				if (mine) resolve(mine.registrationId);
			});
		});
		cdp.on('ServiceWorker.workerErrorReported', ({ errorMessage }) => problems.push(`worker: ${errorMessage.errorMessage}`));
		await cdp.send('ServiceWorker.enable');
		await page.goto(`${origin}/`);
		await chatList(page).waitFor();
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
		registrationId = await registered;
		// a push reaches only an activated worker (claiming the page happens while it activates)
		await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated');
	});

	afterAll(async () => {
		bobWriter?.destroy();
		await browser?.close();
		await profile?.close();
		await server?.close();
	});

	it('shows a pushed message, one notification per conversation replaced with the count, closed by a read push', async () => {
		await pushUntilShown(messagePush(direct.id, 1, 'first'), `conv:${direct.id}`, 'first');
		expect(await shown(`conv:${direct.id}`)).toEqual([{ title: 'Bob', body: 'first', tag: `conv:${direct.id}` }]);

		await pushUntilShown(messagePush(direct.id, 3, 'third'), `conv:${direct.id}`, 'third');
		expect(await shown(`conv:${direct.id}`)).toEqual([{ title: 'Bob', body: '3 new messages\nthird', tag: `conv:${direct.id}` }]);

		// another conversation has its own
		await pushUntilShown(
			{ ...messagePush(group.id, 1, 'to the team'), conversation: { kind: 'group', title: 'Team' } },
			`conv:${group.id}`,
			'team'
		);
		expect(await shown()).toHaveLength(2);
		expect((await shown(`conv:${group.id}`))[0]).toMatchObject({ title: 'Team', body: 'Bob: to the team' });

		// read on another device: closed, nothing shown instead
		const read = { v: 1, kind: 'read', conversationId: direct.id, tag: `conv:${direct.id}` };
		await pushUntil(read, async () => (await shown(`conv:${direct.id}`)).length === 0, 'the read push closing it');
		expect((await shown()).map((n) => n.tag)).toEqual([`conv:${group.id}`]);
		// an unknown version shows nothing
		await push({ ...messagePush(direct.id, 1, 'from the future'), v: 2 });
		await pushUntilShown(messagePush('marker-chat', 1, 'marker'), 'conv:marker-chat', 'marker');
		expect(await shown(`conv:${direct.id}`)).toEqual([]);
	});

	it('shows nothing for the chat open in the visible, focused window, but does for another', async () => {
		await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).forEach((n) => n.close()));
		await page.goto(`${origin}/c/${direct.id}`);
		await page.getByRole('log').waitFor();
		await page.bringToFront();
		await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
		expect(await page.evaluate(() => document.visibilityState === 'visible' && document.hasFocus())).toBe(true);

		const team = { conversation: { kind: 'group', title: 'Team' } };
		await pushUntilShown({ ...messagePush(group.id, 1, 'elsewhere'), ...team }, `conv:${group.id}`, 'elsewhere');
		// the worker is up: a push for the chat in view, then one for another chat, handled in order
		await push(messagePush(direct.id, 1, 'while looking'));
		await push({ ...messagePush(group.id, 2, 'elsewhere again'), ...team });
		await waitFor(async () => (await shown(`conv:${group.id}`))[0]?.body.includes('elsewhere again'), { what: 'the later push' });
		expect(await shown(`conv:${direct.id}`)).toEqual([]);
	});

	it('puts the unread total in the title and on the app badge, and clears both once read', async () => {
		await page.goto(`${origin}/`);
		await chatList(page).waitFor();
		bobSays('one for the title');
		bobSays('two for the title');
		await page.waitForFunction(() => document.title.startsWith('(2) '));
		expect(await page.title()).toMatch(/^\(2\) .*Parley$/);
		await page.waitForFunction(() => (window as unknown as { badges: number[] }).badges.at(-1) === 2);

		await chatList(page).locator(`a[data-conversation-id="${direct.id}"]`).click();
		await page.getByRole('log').getByText('two for the title').waitFor();
		await page.waitForFunction(() => !/^\(\d+\)/.test(document.title));
		await page.waitForFunction(() => (window as unknown as { badges: number[] }).badges.at(-1) === 0);
		expect(await page.title()).toBe('Bob · Parley');
	});

	it('suggests members after @ in a group, chosen by keyboard, and sends the mention as an id', async () => {
		await page.goto(`${origin}/c/${group.id}`);
		await page.getByRole('log').waitFor();
		const box = page.getByRole('textbox', { name: 'Message' });
		await box.click();
		await box.pressSequentially('Hi @');
		const listbox = page.getByRole('listbox', { name: 'People to mention' });
		await listbox.waitFor();
		// both other members, never me
		const names = () => listbox.getByRole('option').locator('.name').allTextContents();
		await expect.poll(names).toEqual(['Bob', 'Carol']);
		expect(await box.getAttribute('aria-controls')).toBe(await listbox.getAttribute('id'));
		const active = await box.getAttribute('aria-activedescendant');
		expect(await page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
		expect(await axeViolations(page)).toEqual([]);

		await box.press('ArrowDown');
		expect(await page.locator(`#${await box.getAttribute('aria-activedescendant')}`).textContent()).toContain('Carol');
		await box.press('ArrowUp');
		await box.pressSequentially('bo');
		await expect.poll(names).toEqual(['Bob']);
		await box.press('Enter');
		await expect.poll(() => box.inputValue()).toBe('Hi @Bob ');
		await box.pressSequentially('see this');
		await box.press('Enter');

		const reader = connectClient({ url: server.url, docName: group.docName, cookie: bob.cookie });
		try {
			await reader.synced();
			const sent = await waitFor(
				() =>
					(reader.doc.getArray('messages').toArray() as { text: string; mentions?: string[] }[]).find((m) => m.text === 'Hi @Bob see this'),
				{ what: 'the mention stored' }
			);
			expect(sent?.mentions).toEqual([bob.id]);
		} finally {
			reader.destroy();
		}
		// shown as a button that opens Bob's profile card
		const mention = page.getByRole('log').getByRole('button', { name: '@Bob' });
		await mention.click();
		await page.getByRole('dialog').getByText('Bob').first().waitFor();
	});

	it('Settings → Notifications: turns on for this device, lists devices, turns one off', async () => {
		// another session of Alice's with a subscription (as another browser would have)
		const other = new TestClient(server.url);
		expect(
			(await other.post('/api/auth/login', { username: alice.username, password: `correct horse ${alice.username} battery` })).status
		).toBe(200);
		expect((await other.post('/api/push/subscriptions', fakeSubscription('phone'))).status).toBe(201);

		await page.goto(`${origin}/settings/notifications`);
		await page
			.getByRole('heading', { name: 'Notifications' })
			.or(page.getByRole('heading', { name: 'This device' }))
			.first()
			.waitFor();
		await page.getByText('Notifications are off for this device.').waitFor();
		expect(await page.getByText(/local network without internet/).count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);

		// permission is granted here; headless Chromium has no push service: on while Parley is open
		await page.getByRole('button', { name: 'Turn on for this device' }).click();
		// (subscribing gives up after 10 s without the vendor's push service)
		await page.getByRole('button', { name: 'Turn off for this device' }).waitFor({ timeout: 25_000 });
		await page.getByText('this browser could not subscribe to push').waitFor();
		expect(await page.evaluate(() => localStorage.getItem('parley.notifications'))).toBe('on');

		const devices = page.getByRole('list', { name: 'Devices receiving notifications' });
		await expect.poll(() => devices.getByRole('listitem').count()).toBe(1);
		await devices.getByRole('button', { name: /Turn off/ }).click();
		await page.getByText('No device receives notifications yet.').waitFor();
		expect((await other.get('/api/push/subscriptions')).data.devices).toEqual([]);

		// preview setting saved
		await page.getByRole('radio', { name: 'the sender only' }).check();
		await page.getByRole('button', { name: 'Save' }).click();
		await page.getByRole('status').getByText('Saved').waitFor();
		expect((await other.get('/api/push/settings')).data.settings.preview).toBe('name');
		expect(problems).toEqual([]);
	});

	it('marks a chat with an unread mention of me (@), and "Next mention" jumps to it', async () => {
		await page.goto(`${origin}/`);
		await chatList(page).waitFor();
		const writer = connectClient({ url: server.url, docName: group.docName, cookie: bob.cookie });
		try {
			await writer.synced();
			appendMessage(writer.doc, {
				id: 'mention-of-alice',
				author: bob.id,
				createdAt: Date.now(),
				text: '@Alice look here',
				mentions: [alice.id]
			});
			const teamLink = chatList(page).getByRole('link', { name: /Team/ });
			await teamLink.getByText('Unread mention').waitFor();
			await teamLink.click();
			const mine = page.getByRole('log').locator('[data-message-id="mention-of-alice"]');
			await mine.getByRole('button', { name: '@Alice' }).waitFor();
			expect(await mine.getAttribute('class')).toContain('mentions-me');
			await page.getByRole('button', { name: 'Next mention' }).click();
			await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-message-id'))).toBe('mention-of-alice');
			await page.goto(`${origin}/`);
			await chatList(page).waitFor();
			await expect.poll(() => chatList(page).getByRole('link', { name: /Team/ }).getByText('Unread mention').count()).toBe(0);
		} finally {
			writer.destroy();
		}
	});

	it('while the app is open but hidden, a new message notifies through the worker, without push', async () => {
		await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).forEach((n) => n.close()));
		await page.goto(`${origin}/`);
		await chatList(page).waitFor();
		expect(await page.evaluate(() => localStorage.getItem('parley.notifications'))).toBe('on');
		// another tab in front: this one is hidden and unfocused
		await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
		const other = await context.newPage();
		await other.goto(`${origin}/settings/profile`);
		await other.bringToFront();
		await page.waitForFunction(() => document.visibilityState === 'hidden' || !document.hasFocus());
		bobSays('while you were away');
		// the preview setting is "the sender only" since the settings test: no text, even locally
		await waitFor(async () => (await shown(`conv:${direct.id}`)).length === 1, { what: 'the hidden app’s notification' });
		expect(await shown(`conv:${direct.id}`)).toEqual([{ title: 'Bob', body: 'New message', tag: `conv:${direct.id}` }]);
		// read here: the app closes it
		await page.bringToFront();
		await chatList(page).locator(`a[data-conversation-id="${direct.id}"]`).click();
		await page.getByRole('log').getByText('while you were away').waitFor();
		await waitFor(async () => (await shown(`conv:${direct.id}`)).length === 0, { what: 'the read chat’s notification closed' });
		await other.close();
	});

	it('axe finds nothing on the settings screen and the picker in Russian', async () => {
		browser = await launchBrowser();
		const ru = await browser.newContext({ locale: 'ru-RU' });
		await signInWithCookie(ru, origin, carol);
		const p = await ru.newPage();
		// the chat list's one-time offer: someone wrote to Carol's group; "Not now" hides it for good
		await p.goto(`${origin}/`);
		const offer = p.getByRole('region', { name: 'Присылать уведомление, когда вам пишут?' });
		await offer.waitFor();
		expect(await axeViolations(p)).toEqual([]);
		await offer.getByRole('button', { name: 'Не сейчас' }).click();
		await offer.waitFor({ state: 'detached' });
		await p.reload();
		await p.getByRole('navigation', { name: 'Беседы' }).waitFor();
		expect(await offer.count()).toBe(0);
		await p.goto(`${origin}/settings/notifications`);
		await p.getByRole('heading', { name: 'Это устройство' }).waitFor();
		expect(await axeViolations(p)).toEqual([]);
		await p.goto(`${origin}/c/${group.id}`);
		const box = p.getByRole('textbox', { name: 'Сообщение' });
		await box.waitFor();
		await box.click();
		await box.pressSequentially('@');
		await p.getByRole('listbox', { name: 'Кого упомянуть' }).waitFor();
		expect(await axeViolations(p)).toEqual([]);
		await ru.close();
	});
});
