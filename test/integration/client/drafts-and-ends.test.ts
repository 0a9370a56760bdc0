// The private drafts document (R26) on a live relay, and how a session ends: 4401 signs out and
// wipes the device, 4403 tells the conversation's view that its user was removed.
import { beforeAll, describe, expect, it } from 'vitest';
import { draftsDocName } from '$lib/sync/doc-names';
import { draftEntries } from '$lib/sync/schema';
import { testDatabaseKind } from '../../helpers/database.js';
import type { TestServer } from '../../helpers/server.js';
import { upgradeStatus, waitFor } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { FAST_RECONNECT, MemoryDeviceStorage, clientTestBed } from './helpers.js';

describe(`drafts document and session ends (${testDatabaseKind()})`, () => {
	const bed = clientTestBed();
	const { stock } = bed;
	let server: TestServer, alice: TestUser, bob: TestUser;
	beforeAll(() => void ({ server, alice, bob } = bed));
	const open = bed.open;
	const wsUrl = (docName: string) => server.url.replace(/^http/, 'ws') + '/sync/' + docName;

	it('[R26] only the owner opens their drafts document: another user gets 403 on the upgrade, the owner 101', async () => {
		expect(await upgradeStatus(wsUrl(draftsDocName(alice.id)), { cookie: bob.cookie })).toBe(403);
		expect(await upgradeStatus(wsUrl(draftsDocName(alice.id)), { cookie: alice.cookie })).toBe(101);
		expect(await upgradeStatus(wsUrl(draftsDocName(alice.id)), {})).toBe(401);
	});

	it('[R26] the relay refuses anything but {text, at} under a conversation id, even from the owner', async () => {
		const owner = stock.open(alice, draftsDocName(alice.id));
		await owner.synced();
		owner.doc.getMap('drafts').set('c1', { text: 'ok', at: 1, extra: true });
		await waitFor(() => owner.denied.length === 1, { what: 'the refusal' });
		expect(owner.denied[0]).toMatch(/^R26: /);
	});

	it('[R26] two devices of the owner typing the same draft converge (last writer wins), and a reload keeps it offline', async () => {
		const chat = await createConversation(alice, { kind: 'direct', userId: bob.id });
		const [phoneStorage, laptopStorage] = [new MemoryDeviceStorage(), new MemoryDeviceStorage()];
		const phone = await open(alice, phoneStorage);
		const laptop = await open(alice, laptopStorage);
		phone.drafts.set(chat.id, 'Hello from the phone');
		await phone.drafts.flush();
		await waitFor(() => laptop.drafts.get(chat.id) === 'Hello from the phone', { what: 'the laptop sees the draft' });
		// both type at once: each writes its own text; both end with the same (the later) one
		laptop.drafts.set(chat.id, 'Hello from the laptop');
		phone.drafts.set(chat.id, 'Hello from the phone, edited');
		await Promise.all([laptop.drafts.flush(), phone.drafts.flush()]);
		await waitFor(() => laptop.drafts.get(chat.id) === phone.drafts.get(chat.id), { what: 'the drafts converge' });
		expect(['Hello from the laptop', 'Hello from the phone, edited']).toContain(phone.drafts.get(chat.id));

		// the phone reloads with no network: the draft is there, from the device alone
		const kept = phone.drafts.get(chat.id);
		await phone.destroy();
		const offline = await open(alice, phoneStorage, { online: false });
		expect(offline.drafts.get(chat.id)).toBe(kept);
		expect(offline.status).toBe('offline');

		// clearing a draft removes it everywhere
		laptop.drafts.set(chat.id, '');
		await laptop.drafts.flush();
		const watcher = stock.open(alice, draftsDocName(alice.id));
		await watcher.synced();
		await waitFor(() => !draftEntries(watcher.doc).has(chat.id), { what: 'the draft removed on the relay' });
	});

	it('a session that ends on the server (4401) signs out cleanly: no retry, the device storage of that user is wiped', async () => {
		const carol = await signUp(server.url, 'carol');
		const chat = await createConversation(carol, { kind: 'direct', userId: bob.id });
		const storage = new MemoryDeviceStorage();
		const session = await open(carol, storage);
		const handle = await session.acquire(chat.id);
		await handle.sync.whenSynced();
		session.drafts.set(chat.id, 'secret draft');
		await session.flush();
		expect(storage.users.has(carol.id)).toBe(true);
		const ended: string[] = [];
		session.on('ended', (reason) => ended.push(reason));
		expect((await carol.client.post('/api/auth/logout')).status).toBe(204);
		await waitFor(() => ended.length === 1 && !storage.users.has(carol.id), { what: 'signed out and wiped' });
		expect(ended).toEqual(['signed-out']);
		expect(handle.sync.ended).toBe('sign-out');
		expect(await storage.lastUser()).toBeUndefined();
	});

	it('removed from a group (4403): the conversation ends as "removed" and is not retried', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Leaving', memberIds: [bob.id] });
		const session = await open(bob, new MemoryDeviceStorage());
		const handle = await session.acquire(group.id);
		await handle.sync.whenSynced();
		const removed: [string, string][] = [];
		session.on('removed', (id, reason) => removed.push([id, reason]));
		expect((await alice.client.delete(`/api/conversations/${group.id}/members/${bob.id}`)).status).toBe(204);
		await waitFor(() => removed.length === 1, { what: 'removed' });
		expect(removed).toEqual([[group.id, 'removed']]);
		expect(handle.sync.ended).toBe('removed');
		expect(handle.sync.status).toBe('offline');
		expect(session.isEnded).toBe(false);
	});

	it('removed while offline: the upgrade is refused (a socket sees only a failure), the policy asks the API after a few tries, and the conversation ends as "removed"', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Quiet exit', memberIds: [bob.id] });
		const session = await open(bob, new MemoryDeviceStorage());
		const handle = await session.acquire(group.id);
		await handle.sync.whenSynced();
		session.setOnline(false);
		expect((await alice.client.delete(`/api/conversations/${group.id}/members/${bob.id}`)).status).toBe(204);
		expect(await upgradeStatus(wsUrl(group.docName), { cookie: bob.cookie })).toBe(403);
		const closes: number[] = [];
		handle.sync.provider.on('connection-close', (event) => event && closes.push(event.code));
		session.setOnline(true);
		await waitFor(() => handle.sync.ended === 'removed', { what: 'removed' });
		// it took failed opens (1006), not a close code from an open socket
		expect(closes.length).toBeGreaterThanOrEqual(FAST_RECONNECT.reauthorizeAfterFailures);
		expect(closes.every((code) => code === 1006)).toBe(true);
		expect(session.isEnded).toBe(false);
	});

	it('a deleted conversation (4404) ends as "deleted"', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Doomed', memberIds: [bob.id] });
		const session = await open(bob, new MemoryDeviceStorage());
		const handle = await session.acquire(group.id);
		await handle.sync.whenSynced();
		expect((await alice.client.delete(`/api/conversations/${group.id}`)).status).toBe(204);
		await waitFor(() => handle.sync.ended !== null, { what: 'ended' });
		expect(handle.sync.ended).toBe('deleted');
	});
});
