// Around the chats, in Chromium with several people in their own browser contexts, through the UI:
// contacts (add by username, alias, block, unblock), a group made from the "New group" dialog
// (add, promote, remove — the removed person's open chat explains it at once, the chat leaves
// their list and their device —, leave as owner), a profile card from a message author opening
// the direct chat, invite links and the /join page (also for a signed-out visitor), a channel
// where a subscriber has no composer, and axe on every new screen in English/light and Russian/dark.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createConversation, signUp, type TestUser } from '../helpers/users.js';
import { axeViolations, chatList, log, messagesWith, sendMessage, signInWithCookie, watchProblems } from './ui.js';

interface Person {
	user: TestUser;
	context: BrowserContext;
	page: Page;
	problems: string[];
}

describe.skipIf(!chromiumAvailable())('contacts, groups, channels and invites in Chromium', () => {
	let server: TestServer;
	let browser: Browser;
	let ann: Person;
	let ben: Person;
	let cat: Person;
	let dan: TestUser;
	const contexts: BrowserContext[] = [];

	async function person(user: TestUser, options: Parameters<Browser['newContext']>[0] = {}): Promise<Person> {
		const context = await browser.newContext({ locale: 'en-US', ...options });
		contexts.push(context);
		await signInWithCookie(context, server.origin, user);
		const page = await context.newPage();
		const problems = watchProblems(page);
		await page.goto(`${server.origin}/`);
		await chatList(page).waitFor();
		return { user, context, page, problems };
	}

	/** Opens the info panel of the open chat. */
	async function openInfo(page: Page) {
		await page.getByRole('button', { name: 'Conversation info' }).click();
		const panel = page.getByRole('dialog', { name: 'Conversation info' });
		await panel
			.getByRole('heading', { name: 'Members' })
			.or(panel.getByRole('checkbox', { name: 'Mute' }))
			.first()
			.waitFor();
		return panel;
	}

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const [a, b, c] = await Promise.all([signUp(server.url, 'Ann'), signUp(server.url, 'Ben'), signUp(server.url, 'Cat')]);
		dan = await signUp(server.url, 'Dan');
		ann = await person(a);
		ben = await person(b);
		cat = await person(c);
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => {});
		await browser?.close();
		await server?.close();
	});

	it('contacts: add by username, an alias shown, block (no direct chat, hidden from search), unblock', async () => {
		const page = ann.page;
		await page.getByRole('link', { name: 'Contacts' }).click();
		await page.waitForURL(`${server.origin}/contacts`);
		await page.getByRole('textbox', { name: 'Add by username' }).fill(ben.user.username.toUpperCase());
		await page.getByRole('button', { name: 'Add', exact: true }).click();
		const list = page.getByRole('list', { name: 'Contacts' });
		await list.getByRole('button', { name: 'Set alias Ben' }).waitFor();

		await list.getByRole('button', { name: 'Set alias Ben' }).click();
		await list.getByRole('textbox', { name: 'Alias for Ben' }).fill('Benny');
		await list.getByRole('button', { name: 'Save' }).click();
		await list.getByRole('button', { name: 'Message Benny' }).waitFor();
		// shown as the name, with the display name and username under it
		await list.getByRole('button', { name: new RegExp(`^Benny\\s*Ben · @${ben.user.username}`) }).waitFor();
		// the server keeps it: a fresh load shows the alias again
		await page.reload();
		await page.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: 'Message Benny' }).waitFor();

		await page.getByRole('button', { name: 'Block Benny' }).click();
		const blocked = page.getByRole('list', { name: 'Blocked' });
		await blocked.getByRole('button', { name: 'Unblock Ben' }).waitFor();
		// what the server does: Ben cannot start a direct chat with Ann, and does not find her
		const refused = await ben.user.client.post('/api/conversations', { kind: 'direct', userId: ann.user.id });
		expect(refused.status).toBe(403);
		await ben.page.getByRole('button', { name: 'New chat' }).click();
		const dialog = ben.page.getByRole('dialog', { name: 'New chat' });
		await dialog.getByRole('textbox', { name: 'Search people' }).fill(ann.user.username);
		await dialog.getByText('Nobody found.').waitFor();
		await ben.page.keyboard.press('Escape');
		await expect(dialog.isVisible()).resolves.toBe(false);

		await blocked.getByRole('button', { name: 'Unblock Ben' }).click();
		await page.getByText('You have blocked nobody.').waitFor();
		const allowed = await ben.user.client.post('/api/conversations', { kind: 'direct', userId: ann.user.id });
		expect(allowed.status).toBeLessThan(300);

		expect(await axeViolations(page), 'contacts page').toEqual([]);
	});

	let groupId = '';
	it('a group from the "New group" dialog: a member at creation, another added, promoted to admin', async () => {
		const page = ann.page;
		await page.getByRole('button', { name: 'New group' }).click();
		const dialog = page.getByRole('dialog', { name: 'New group' });
		await dialog.getByRole('textbox', { name: 'Title' }).fill('Book club');
		await dialog.getByRole('textbox', { name: 'Description' }).fill('We read.');
		// Ben is a contact (named by my alias); Dan is found by search
		await dialog.getByRole('checkbox', { name: 'Benny' }).check();
		expect(await axeViolations(page), 'new-group dialog').toEqual([]);
		await dialog.getByRole('button', { name: 'Create' }).click();
		await page.waitForURL(/\/c\/[^/]+$/);
		groupId = new URL(page.url()).pathname.split('/').pop()!;
		await page.getByRole('heading', { level: 2, name: 'Book club' }).waitFor();
		// Ben's list shows it by itself
		await chatList(ben.page)
			.getByRole('link', { name: /Book club/ })
			.waitFor();

		const panel = await openInfo(page);
		await panel.getByText('Members: 2').waitFor();
		await panel.getByText('We read.').waitFor();
		await panel.getByRole('textbox', { name: 'Search people' }).fill('Cat');
		await panel.getByRole('button', { name: 'Add Cat' }).click();
		await panel.getByText('Members: 3').waitFor();
		await panel.getByRole('button', { name: 'Make admin Ben' }).click();
		await panel.getByRole('button', { name: 'Make ordinary member Ben' }).waitFor();
		await expect(panel.getByRole('button', { name: 'Make admin Ben' }).count()).resolves.toBe(0);
		expect(await axeViolations(page), 'info panel').toEqual([]);
		await page.keyboard.press('Escape');
		await expect(panel.isVisible()).resolves.toBe(false);
		// focus goes back to the button that opened the panel
		await expect(page.getByRole('button', { name: 'Conversation info' }).evaluate((el) => el === document.activeElement)).resolves.toBe(
			true
		);
	});

	it('a profile card from a message author, whose "Message" opens the direct chat', async () => {
		await ben.page.goto(`${server.origin}/c/${groupId}`);
		await sendMessage(ben.page, 'Hello book club');
		const page = ann.page;
		await messagesWith(page, 'Hello book club').waitFor();
		await log(page).getByRole('button', { name: 'Ben' }).first().click();
		const card = page.getByRole('dialog', { name: 'Profile' });
		await card.getByText(`@${ben.user.username}`).waitFor();
		await card.getByRole('button', { name: 'Message' }).waitFor();
		expect(await axeViolations(page), 'profile card').toEqual([]);
		await card.getByRole('button', { name: 'Message' }).click();
		await page.waitForURL((url) => url.pathname.startsWith('/c/') && !url.pathname.endsWith(groupId));
		// the direct chat with Ben (titled by Ann's alias where the inbox has it)
		await page.getByRole('heading', { level: 2, name: /^(Benny|Ben)$/ }).waitFor();
		await expect(page.getByRole('textbox', { name: 'Message' }).count()).resolves.toBe(1);
	});

	it('removing a member: their open chat explains it at once, the chat leaves their list and their device', async () => {
		await cat.page.goto(`${server.origin}/c/${groupId}`);
		await messagesWith(cat.page, 'Hello book club').waitFor();
		const docDb = `parley.${cat.user.id}.doc.conv.${groupId}`;
		const databases = () => cat.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
		await expect.poll(databases).toContain(docDb);

		await ann.page.goto(`${server.origin}/c/${groupId}`);
		const panel = await openInfo(ann.page);
		await panel.getByRole('button', { name: 'Remove Cat' }).click();
		await panel.getByText('Members: 2').waitFor();

		await cat.page.getByText('You are no longer a member of this conversation.').waitFor();
		await expect(cat.page.getByRole('textbox', { name: 'Message' }).count()).resolves.toBe(0);
		await expect
			.poll(() =>
				chatList(cat.page)
					.getByRole('link', { name: /Book club/ })
					.count()
			)
			.toBe(0);
		await expect.poll(databases).not.toContain(docDb);
		// the explanation offers the way back
		await cat.page.getByRole('status').getByRole('link', { name: 'Back to conversations' }).click();
		await cat.page.waitForURL(`${server.origin}/`);
		await ann.page.keyboard.press('Escape');
	});

	it('the owner leaves, handing over: the chosen member becomes the owner', async () => {
		const page = ann.page;
		const panel = await openInfo(page);
		await panel.getByRole('button', { name: 'Leave' }).click();
		await expect(panel.getByRole('combobox', { name: 'New owner' }).inputValue()).resolves.toBe(ben.user.id);
		await panel.getByRole('button', { name: 'Leave' }).click();
		await page.waitForURL(`${server.origin}/`);
		await expect
			.poll(() =>
				chatList(page)
					.getByRole('link', { name: /Book club/ })
					.count()
			)
			.toBe(0);
		const members = await ben.user.client.get(`/api/conversations/${groupId}/members`);
		expect(members.data.members.map((m: { user: { id: string }; role: string }) => [m.user.id, m.role])).toEqual([[ben.user.id, 'owner']]);
	});

	let inviteUrl = '';
	it('an invite link: made in the panel, a third person opens /join/<token>, sees the preview and joins', async () => {
		const garden = await createConversation(ben.user, { kind: 'group', title: 'Garden', description: 'Plants', memberIds: [ann.user.id] });
		await ben.page.goto(`${server.origin}/c/${garden.id}`);
		const panel = await openInfo(ben.page);
		await panel.getByRole('button', { name: 'Create invite link' }).click();
		const field = panel.getByRole('textbox', { name: 'New link' });
		await field.waitFor();
		inviteUrl = await field.inputValue();
		expect(inviteUrl).toMatch(new RegExp(`^${server.origin}/join/[a-z2-7]{32}$`));
		await panel.getByRole('list', { name: 'Live links' }).getByRole('listitem').first().waitFor();

		await cat.page.goto(inviteUrl);
		await cat.page.getByRole('heading', { name: 'Garden' }).waitFor();
		await cat.page.getByText('Members: 2').waitFor();
		await cat.page.getByText('Plants').waitFor();
		expect(await axeViolations(cat.page), 'join page').toEqual([]);
		await cat.page.getByRole('button', { name: 'Join' }).click();
		await cat.page.waitForURL(`${server.origin}/c/${garden.id}`);
		await cat.page.getByRole('heading', { level: 2, name: 'Garden' }).waitFor();
		await cat.page.getByRole('textbox', { name: 'Message' }).waitFor();
		await chatList(cat.page)
			.getByRole('link', { name: /Garden/ })
			.waitFor();

		// a revoked link stops working
		await panel.getByRole('button', { name: /^Revoke/ }).click();
		await expect.poll(() => panel.getByRole('list', { name: 'Live links' }).count()).toBe(0);
		await cat.page.goto(inviteUrl);
		await cat.page.getByText('This invite link does not work: it was revoked or mistyped.').waitFor();
		await ben.page.keyboard.press('Escape');
	});

	it('a signed-out visitor of an invite link signs in and comes back to it', async () => {
		const res = await ben.user.client.post(
			`/api/conversations/${(await createConversation(ben.user, { kind: 'group', title: 'Kitchen' })).id}/invites`
		);
		const url = res.data.invite.url as string;
		const context = await browser.newContext({ locale: 'en-US' });
		contexts.push(context);
		const page = await context.newPage();
		await page.goto(url);
		await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === new URL(url).pathname);
		await page.getByRole('textbox', { name: 'Username' }).fill(dan.username);
		await page.getByLabel('Password', { exact: true }).fill(`correct horse ${dan.username} battery`);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL(url);
		await page.getByRole('heading', { name: 'Kitchen' }).waitFor();
		await page.getByRole('button', { name: 'Join' }).click();
		await page.getByRole('heading', { level: 2, name: 'Kitchen' }).waitFor();
	});

	it('a channel from the "New channel" dialog: a subscriber who joined by its link has no composer', async () => {
		const page = ann.page;
		await page.getByRole('button', { name: 'New channel' }).click();
		const dialog = page.getByRole('dialog', { name: 'New channel' });
		await dialog.getByRole('textbox', { name: 'Title' }).fill('News');
		await dialog.getByLabel('Picture').setInputFiles(path.resolve('static/icons/icon-192.png'));
		await dialog.getByRole('button', { name: 'Create' }).click();
		await page.getByRole('heading', { level: 2, name: 'News' }).waitFor();
		// the picture was uploaded after creation: the server serves it as the channel's avatar
		await expect
			.poll(
				async () =>
					(await ann.user.client.get('/api/conversations')).data.conversations.find((c: { title: string }) => c.title === 'News')?.avatarUrl
			)
			.toMatch(/^\/api\/conversations\/.+\/avatar\//);
		await sendMessage(page, 'First news');
		const panel = await openInfo(page);
		await panel.getByRole('button', { name: 'Create invite link' }).click();
		const url = await panel.getByRole('textbox', { name: 'New link' }).inputValue();
		await page.keyboard.press('Escape');

		await cat.page.goto(url);
		await cat.page.getByText('Subscribers: 1').waitFor();
		await cat.page.getByRole('button', { name: 'Subscribe' }).click();
		await cat.page.getByRole('heading', { level: 2, name: 'News' }).waitFor();
		await messagesWith(cat.page, 'First news').waitFor();
		await expect(cat.page.getByRole('textbox', { name: 'Message' }).count()).resolves.toBe(0);
		// a subscriber is offered no management in the panel, only leaving
		const catPanel = await openInfo(cat.page);
		await catPanel.getByRole('button', { name: 'Leave' }).waitFor();
		await expect(catPanel.getByRole('button', { name: 'Create invite link' }).count()).resolves.toBe(0);
		await expect(catPanel.getByRole('button', { name: 'Delete conversation' }).count()).resolves.toBe(0);
		await cat.page.keyboard.press('Escape');

		// removed while the chat is closed: it leaves the list, and its copy leaves the device
		const newsId = new URL(cat.page.url()).pathname.split('/').pop()!;
		const docDb = `parley.${cat.user.id}.doc.conv.${newsId}`;
		const databases = () => cat.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
		await expect.poll(databases).toContain(docDb);
		await cat.page.getByRole('link', { name: 'Contacts' }).click();
		await cat.page.waitForURL(`${server.origin}/contacts`);
		expect((await ann.user.client.delete(`/api/conversations/${newsId}/members/${cat.user.id}`)).status).toBe(204);
		await expect.poll(() => chatList(cat.page).getByRole('link', { name: /News/ }).count()).toBe(0);
		await expect.poll(databases).not.toContain(docDb);
	});

	it('axe: contacts, new-group dialog, info panel, join page and profile card in Russian, dark', async () => {
		const context = await browser.newContext({ locale: 'ru-RU', colorScheme: 'dark' });
		contexts.push(context);
		await context.addCookies([{ name: 'parley-theme', value: 'dark', url: server.origin }]);
		await signInWithCookie(context, server.origin, ann.user);
		const page = await context.newPage();
		await page.goto(`${server.origin}/contacts`);
		await page.getByRole('list', { name: 'Контакты' }).getByRole('button', { name: 'Написать Benny' }).waitFor();
		await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
		expect(await axeViolations(page), 'contacts').toEqual([]);

		await page.getByRole('button', { name: 'Benny', exact: false }).first().click();
		await page.getByRole('dialog', { name: 'Профиль' }).getByRole('button', { name: 'Написать' }).waitFor();
		expect(await axeViolations(page), 'profile card').toEqual([]);
		await page.keyboard.press('Escape');

		await page.getByRole('button', { name: 'Новая группа' }).click();
		await page.getByRole('dialog', { name: 'Новая группа' }).getByRole('textbox', { name: 'Название' }).waitFor();
		expect(await axeViolations(page), 'new group').toEqual([]);
		await page.keyboard.press('Escape');

		const garden = (await ann.user.client.get('/api/conversations')).data.conversations.find(
			(c: { title: string }) => c.title === 'Garden'
		);
		await page.goto(`${server.origin}/c/${garden.id}`);
		await page.getByRole('button', { name: 'О беседе и участниках' }).click();
		await page.getByRole('dialog', { name: 'О беседе и участниках' }).getByRole('heading', { name: 'Участники' }).waitFor();
		expect(await axeViolations(page), 'info panel').toEqual([]);
		await page.keyboard.press('Escape');

		const invite = await ben.user.client.post(`/api/conversations/${garden.id}/invites`);
		const other = await browser.newContext({ locale: 'ru-RU', colorScheme: 'dark' });
		contexts.push(other);
		await other.addCookies([{ name: 'parley-theme', value: 'dark', url: server.origin }]);
		await signInWithCookie(other, server.origin, dan);
		const join = await other.newPage();
		await join.goto(invite.data.invite.url);
		await join.getByRole('button', { name: 'Вступить' }).waitFor();
		expect(await axeViolations(join), 'join page').toEqual([]);
	});

	it('logged no unexpected errors', () => {
		for (const p of [ann, ben, cat]) expect(p.problems).toEqual([]);
	});
});
