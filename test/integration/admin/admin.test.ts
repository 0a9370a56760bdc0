// The admin API: every route refuses signed-out callers (401) and members (403); disabling ends
// the person's sockets and sessions at once and blocks sign-in; a removed message vanishes from an
// open client; clearing needs its typed confirmation; deleting accounts behaves as documented
// (messages stay, owned groups are handed over); every action lands in the audit log; the SSE
// stream pushes figures; people delete their own account with their password.
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { signUp, createConversation, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { sendMessage, startAdminServer } from './helpers.js';

const password = (u: TestUser) => `correct horse ${u.username} battery`;
const SOME_ID = 'aaaaaaaaaaaaaaaaaaaaaaaa';

/** Every admin route with a body that would pass validation. */
const ROUTES: [string, string, unknown?][] = [
	['GET', '/api/admin/stats'],
	['GET', '/api/admin/stats/stream'],
	['GET', '/api/admin/users'],
	['GET', '/api/admin/users/search?q=a'],
	['GET', `/api/admin/users/${SOME_ID}`],
	['PATCH', `/api/admin/users/${SOME_ID}`, { disabled: true }],
	['DELETE', `/api/admin/users/${SOME_ID}`],
	['POST', `/api/admin/users/${SOME_ID}/reset-link`],
	['GET', '/api/admin/messages'],
	['DELETE', `/api/admin/messages/conv.${SOME_ID}/m1`],
	['POST', `/api/admin/conversations/${SOME_ID}/clear`, { confirm: 'CLEAR' }],
	['POST', '/api/admin/clear', { confirm: 'CLEAR ALL MESSAGES' }],
	['GET', '/api/admin/audit'],
	['GET', '/api/admin/backups'],
	['POST', '/api/admin/backups'],
	['GET', '/api/admin/backups/parley-20260101-000000-000Z'],
	['DELETE', '/api/admin/backups/parley-20260101-000000-000Z'],
	['GET', '/api/admin/invites'],
	['POST', '/api/admin/invites']
];

describe(`admin API (${testDatabaseKind()})`, () => {
	let server: TestServer & { dataDir: string };
	let admin: TestUser, ann: TestUser, ben: TestUser, cid: TestUser;
	const clients: SyncClient[] = [];

	beforeAll(async () => {
		server = await startAdminServer();
		admin = await signUp(server.url, 'root');
		ann = await signUp(server.url, 'ann');
		ben = await signUp(server.url, 'ben');
		cid = await signUp(server.url, 'cid');
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.close();
		await fs.rm(server?.dataDir ?? '/nonexistent', { recursive: true, force: true });
	});

	it('every admin route answers 401 signed out and 403 to a member, in the error shape', async () => {
		for (const [method, path, json] of ROUTES) {
			const out = await new TestClient(server.url).request(method, path, json === undefined ? {} : { json });
			expect(out.status, `${method} ${path}`).toBe(401);
			expect(out.data.error.code).toBe('unauthenticated');
			const member = await ann.client.request(method, path, json === undefined ? {} : { json });
			expect(member.status, `${method} ${path}`).toBe(403);
			expect(member.data.error.code).toBe('forbidden');
		}
	});

	it('searches accounts with their figures', async () => {
		const res = await admin.client.get('/api/admin/users/search?q=ann');
		expect(res.status).toBe(200);
		expect(res.data.users).toEqual([
			expect.objectContaining({
				id: ann.id,
				username: ann.username,
				role: 'user',
				disabled: false,
				demo: false,
				conversations: 0,
				sessions: 1
			})
		]);
		expect((await admin.client.get('/api/admin/users/search?q=%25')).data.users).toEqual([]);
	});

	it('disabling ends the sockets and sessions at once and blocks sign-in; enabling lets them back', async () => {
		const chat = await createConversation(ben, { kind: 'direct', userId: cid.id });
		const socket = connectClient({ url: server.url, docName: chat.docName, cookie: ben.cookie });
		clients.push(socket);
		await socket.synced();
		const res = await admin.client.patch(`/api/admin/users/${ben.id}`, { disabled: true });
		expect(res.status, JSON.stringify(res.data)).toBe(200);
		expect(res.data.user).toMatchObject({ disabled: true, sessions: 0 });
		await waitFor(() => socket.closes.length > 0, { what: 'socket closed' });
		socket.provider.disconnect();
		expect((await ben.client.get('/api/me')).status).toBe(401);
		const login = await new TestClient(server.url).post('/api/auth/login', { username: ben.username, password: password(ben) });
		expect(login.status).toBe(403);
		expect(login.data.error.code).toBe('account_disabled');
		expect((await admin.client.patch(`/api/admin/users/${admin.id}`, { disabled: true })).status).toBe(409);
		expect((await admin.client.patch(`/api/admin/users/${ben.id}`, { disabled: false })).data.user.disabled).toBe(false);
		const again = await ben.client.post('/api/auth/login', { username: ben.username, password: password(ben) });
		expect(again.status).toBe(200);
		ben.cookie = ben.client.cookieHeader();
	});

	it('promotes and demotes, and turns off two-factor', async () => {
		expect((await admin.client.patch(`/api/admin/users/${cid.id}`, { role: 'admin' })).data.user.role).toBe('admin');
		expect((await cid.client.get('/api/admin/stats')).status).toBe(200);
		expect((await admin.client.patch(`/api/admin/users/${cid.id}`, { role: 'user' })).data.user.role).toBe('user');
		expect((await cid.client.get('/api/admin/stats')).status).toBe(403);
		const off = await admin.client.patch(`/api/admin/users/${cid.id}`, { twoFactorEnabled: false });
		expect(off.status).toBe(200);
		expect(off.data.user.twoFactorEnabled).toBe(false);
		expect((await admin.client.patch(`/api/admin/users/${cid.id}`, {})).status).toBe(400);
	});

	it('removes a message through the relay: it vanishes from another member’s open client', async () => {
		const group = await createConversation(ann, { kind: 'group', title: 'Mod', memberIds: [ben.id] });
		const keep = await sendMessage(server, ann, group.docName, 'fine', clients);
		const bad = await sendMessage(server, ann, group.docName, 'spam spam', clients);
		const watcher = connectClient({ url: server.url, docName: group.docName, cookie: ben.cookie });
		clients.push(watcher);
		await waitFor(() => messagesOf(watcher.doc).length === 2, { what: 'watcher synced' });
		const recent = await admin.client.get('/api/admin/messages');
		expect(recent.data.messages.slice(0, 2).map((m: { id: string }) => m.id)).toEqual([bad, keep]);
		expect(recent.data.messages[0]).toMatchObject({
			conversationTitle: 'Mod',
			authorId: ann.id,
			authorName: ann.username,
			text: 'spam spam'
		});
		expect((await admin.client.delete(`/api/admin/messages/${group.docName}/${bad}`)).status).toBe(204);
		await waitFor(() => messagesOf(watcher.doc).length === 1, { what: 'removed message gone from the open client' });
		expect(messagesOf(watcher.doc).map((m) => m.id)).toEqual([keep]);
		expect((await admin.client.delete(`/api/admin/messages/${group.docName}/${bad}`)).status).toBe(404);
		expect((await admin.client.get('/api/admin/messages')).data.messages.some((m: { id: string }) => m.id === bad)).toBe(false);
		// 'before' pages back; a time PostgreSQL cannot hold (Date.parse takes it) is a 400 naming the field, never a 500
		const older = await admin.client.get(`/api/admin/messages?before=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
		expect(older.data.messages.map((m: { id: string }) => m.id)).toContain(keep);
		for (const before of ['+275760-09-13T00:00:00.000Z', 'yesterday', '2026-13-01T00:00:00Z']) {
			const refused = await admin.client.get(`/api/admin/messages?before=${encodeURIComponent(before)}`);
			expect([refused.status, refused.data.error.code, refused.data.error.field]).toEqual([400, 'invalid_input', 'before']);
		}
	});

	it('clears a conversation only with the typed confirmation', async () => {
		const group = await createConversation(ann, { kind: 'group', title: 'Clear me', memberIds: [ben.id] });
		await sendMessage(server, ann, group.docName, 'a', clients);
		await sendMessage(server, ben, group.docName, 'b', clients);
		const watcher = connectClient({ url: server.url, docName: group.docName, cookie: ann.cookie });
		clients.push(watcher);
		await waitFor(() => messagesOf(watcher.doc).length === 2, { what: 'watcher synced' });
		const wrong = await admin.client.post(`/api/admin/conversations/${group.id}/clear`, { confirm: 'yes' });
		expect(wrong.status).toBe(400);
		expect(wrong.data.error.code).toBe('confirmation_required');
		expect(messagesOf(watcher.doc)).toHaveLength(2);
		const done = await admin.client.post(`/api/admin/conversations/${group.id}/clear`, { confirm: 'CLEAR' });
		expect(done.data).toEqual({ removed: 2 });
		await waitFor(() => messagesOf(watcher.doc).length === 0, { what: 'cleared on the open client' });
		// System notices ("created") stay.
		expect(watcher.doc.getArray('messages').length).toBeGreaterThan(0);
		expect((await admin.client.post('/api/admin/clear', { confirm: 'CLEAR' })).status).toBe(400);
	});

	it('deleting an account keeps its messages and hands its groups over; people delete their own with their password', async () => {
		const dee = await signUp(server.url, 'dee');
		const owned = await createConversation(dee, { kind: 'group', title: 'Dee’s', memberIds: [ann.id] });
		const said = await sendMessage(server, dee, owned.docName, 'from dee', clients);
		expect((await admin.client.delete(`/api/admin/users/${dee.id}`)).status).toBe(204);
		expect((await dee.client.get('/api/me')).status).toBe(401);
		expect((await admin.client.get(`/api/admin/users/${dee.id}`)).status).toBe(404);
		const annList = (await ann.client.get('/api/conversations')).data.conversations as { id: string; role: string }[];
		expect(annList.find((c) => c.id === owned.id)?.role).toBe('owner');
		const kept = await server.db.query<{ id: string; deleted_at: unknown }>(`select id, deleted_at from messages where id = $1`, [said]);
		expect(kept).toEqual([{ id: said, deleted_at: null }]);
		expect((await admin.client.delete(`/api/admin/users/${admin.id}`)).status).toBe(409);

		const eve = await signUp(server.url, 'eve');
		const wrong = await eve.client.request('DELETE', '/api/me', { json: { password: 'not my password' } });
		expect(wrong.status).toBe(403);
		const gone = await eve.client.request('DELETE', '/api/me', { json: { password: password(eve) } });
		expect(gone.status).toBe(204);
		expect((await new TestClient(server.url).post('/api/auth/login', { username: eve.username, password: password(eve) })).status).toBe(
			401
		);
	});

	it('keeps an audit log of admin actions, newest first', async () => {
		const res = await admin.client.get('/api/admin/audit');
		const actions = res.data.entries.map((e: { action: string }) => e.action);
		expect(actions).toEqual(
			expect.arrayContaining([
				'user.disable',
				'user.enable',
				'user.promote',
				'user.demote',
				'user.2fa_off',
				'message.remove',
				'conversation.clear',
				'user.delete'
			])
		);
		expect(actions[0]).toBe('user.delete');
		expect(res.data.entries[0]).toMatchObject({ adminId: admin.id, adminUsername: admin.username, target: expect.stringMatching(/^dee_/) });
	});

	it('pushes the figures over SSE', async () => {
		const controller = new AbortController();
		const res = await fetch(`${server.url}/api/admin/stats/stream`, { headers: { cookie: admin.cookie }, signal: controller.signal });
		expect(res.headers.get('content-type')).toBe('text/event-stream');
		const reader = res.body!.getReader();
		let text = '';
		while (!text.includes('event: stats')) text += new TextDecoder().decode((await reader.read()).value);
		while (!/data: .*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
		const stats = JSON.parse(/data: (.*)\n/.exec(text)![1]!);
		expect(stats.users.total).toBeGreaterThanOrEqual(4);
		controller.abort();
	});

	it('clears every message of the server with its typed confirmation; system notices stay', async () => {
		const group = await createConversation(ann, { kind: 'group', title: 'Everything', memberIds: [ben.id] });
		await sendMessage(server, ann, group.docName, 'one', clients);
		await sendMessage(server, ben, group.docName, 'two', clients);
		const live = async () =>
			(await server.db.query<{ n: number }>(`select count(*)::int as n from messages where deleted_at is null and kind <> 'system'`))[0]!.n;
		const before = await live();
		expect(before).toBeGreaterThanOrEqual(2);
		const watcher = connectClient({ url: server.url, docName: group.docName, cookie: ann.cookie });
		clients.push(watcher);
		await waitFor(() => messagesOf(watcher.doc).length === 2, { what: 'watcher synced' });
		const done = await admin.client.post('/api/admin/clear', { confirm: 'CLEAR ALL MESSAGES' });
		expect(done.status).toBe(200);
		expect(done.data).toEqual({ removed: before });
		expect(await live()).toBe(0);
		await waitFor(() => messagesOf(watcher.doc).length === 0, { what: 'cleared on the open client' });
		expect(watcher.doc.getArray('messages').length).toBeGreaterThan(0);
		const audit = await admin.client.get('/api/admin/audit');
		expect(audit.data.entries[0]).toMatchObject({ action: 'server.clear', detail: `${before} messages` });
	});
});
