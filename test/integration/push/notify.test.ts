// What notifies, and what a push holds (issue 19, docs/notifications.md), against a push service on
// loopback that checks each push's VAPID JWT and decrypts its payload with the subscriber's keys.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type Subscriber, type TestPushService } from '../../helpers/push-service.js';
import type { TestServer } from '../../helpers/server.js';
import { waitFor, type SyncClient } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { committedAndSettled, secondDevice, send, settled, startPushServer, subscribeDevice, writer } from './helpers.js';

describe(`web push: who is notified of what (${testDatabaseKind()})`, () => {
	let service: TestPushService;
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser;
	let aliceDevice: Subscriber, bobPhone: Subscriber, bobLaptop: Subscriber, carolPhone: Subscriber;
	const clients: SyncClient[] = [];

	beforeAll(async () => {
		service = await startPushService();
		server = await startPushServer(service);
		[alice, bob, carol] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob'), await signUp(server.url, 'carol')];
		aliceDevice = await subscribeDevice(alice.client, service);
		bobPhone = await subscribeDevice(bob.client, service);
		bobLaptop = await subscribeDevice(await secondDevice(server.url, bob), service);
		carolPhone = await subscribeDevice(carol.client, service);
	});
	afterEach(() => {
		for (const client of clients.splice(0)) client.destroy();
	});
	afterAll(async () => {
		await server?.close();
		await service?.close();
	});

	const group = (title: string, members = [bob, carol]) =>
		createConversation(alice, { kind: 'group', title, memberIds: members.map((m) => m.id) });
	const since = (sub: Subscriber, from: number) => service.pushesOf(sub).slice(from);
	const counts = () => new Map([aliceDevice, bobPhone, bobLaptop, carolPhone].map((s) => [s, service.pushesOf(s).length]));

	it('a message notifies each subscribed device of each other member once, and not the author', async () => {
		const before = counts();
		const chat = await group('Once');
		const w = await writer(server, alice, chat.docName, clients);
		const id = await send(server, w, alice, { text: 'Dinner at eight?' });
		await waitFor(
			() =>
				since(bobPhone, before.get(bobPhone)!).length &&
				since(bobLaptop, before.get(bobLaptop)!).length &&
				since(carolPhone, before.get(carolPhone)!).length,
			{ what: 'pushes to bob ×2 and carol' }
		);
		await settled(server);
		for (const sub of [bobPhone, bobLaptop, carolPhone]) {
			const pushes = since(sub, before.get(sub)!);
			expect(pushes).toHaveLength(1);
			expect(pushes[0]!.payload).toMatchObject({
				v: 1,
				kind: 'message',
				conversationId: chat.id,
				tag: `conv:${chat.id}`,
				messageId: id,
				text: 'Dinner at eight?',
				count: 1,
				mention: false
			});
			expect(pushes[0]!.payload.sender).toEqual({ id: alice.id, name: 'alice' });
			expect(pushes[0]!.payload.conversation).toEqual({ kind: 'group', title: 'Once' });
		}
		expect(since(aliceDevice, before.get(aliceDevice)!)).toEqual([]);
		expect(service.rejected).toEqual([]);
	});

	it("a muted chat's message does not notify; a mention or a reply there does (the setting, on by default)", async () => {
		const chat = await group('Muted');
		expect((await carol.client.patch(`/api/conversations/${chat.id}/settings`, { muted: true })).status).toBe(200);
		const carolBefore = service.pushesOf(carolPhone).length;
		const bobBefore = service.pushesOf(bobPhone).length;
		const w = await writer(server, alice, chat.docName, clients);
		await send(server, w, alice, { text: 'plain' });
		await waitFor(() => service.pushesOf(bobPhone).length > bobBefore, { what: 'bob (not muted) notified' });
		await settled(server);
		expect(service.pushesOf(carolPhone).length).toBe(carolBefore);
		const mention = await send(server, w, alice, { text: '@carol look', mentions: [carol.id] });
		await waitFor(() => service.pushesOf(carolPhone).length > carolBefore, { what: 'the mention reaches carol' });
		const got = service.pushesOf(carolPhone).at(-1)!.payload;
		expect(got).toMatchObject({ messageId: mention, mention: true, count: 1 });
		// a reply to carol's message, in the muted chat
		const cw = await writer(server, carol, chat.docName, clients);
		const hers = await send(server, cw, carol, { text: 'mine' });
		await settled(server);
		const beforeReply = service.pushesOf(carolPhone).length;
		const reply = await send(server, w, alice, { text: 'answering you', replyTo: hers });
		await waitFor(() => service.pushesOf(carolPhone).length > beforeReply, { what: 'the reply reaches carol' });
		expect(service.pushesOf(carolPhone).at(-1)!.payload).toMatchObject({ messageId: reply, mention: true });
		// with the setting off, a mention in a muted chat is silent too
		expect((await carol.client.patch('/api/push/settings', { mentionsInMuted: false })).data.settings.mentionsInMuted).toBe(false);
		const beforeOff = service.pushesOf(carolPhone).length;
		await send(server, w, alice, { text: '@carol again', mentions: [carol.id] });
		await settled(server);
		expect(service.pushesOf(carolPhone).length).toBe(beforeOff);
		await carol.client.patch('/api/push/settings', { mentionsInMuted: true });
	});

	it('nothing from a blocked person, either way, mentions included', async () => {
		const chat = await group('Blocks');
		expect((await carol.client.post('/api/contacts/block', { userId: alice.id })).status).toBe(201);
		const carolBefore = service.pushesOf(carolPhone).length;
		const aliceBefore = service.pushesOf(aliceDevice).length;
		const bobBefore = service.pushesOf(bobPhone).length;
		const w = await writer(server, alice, chat.docName, clients);
		await send(server, w, alice, { text: '@carol hi', mentions: [carol.id] });
		await waitFor(() => service.pushesOf(bobPhone).length > bobBefore, { what: 'bob notified' });
		// and carol (the blocker) writing: alice is not notified of her either
		const cw = await writer(server, carol, chat.docName, clients);
		const hers = await send(server, cw, carol, { text: 'to the group' });
		await waitFor(() => service.pushesOf(bobPhone).some((p) => p.payload.messageId === hers), { what: 'bob hears carol' });
		await settled(server);
		expect(service.pushesOf(carolPhone).length).toBe(carolBefore);
		expect(service.pushesOf(aliceDevice).length).toBe(aliceBefore);
		await carol.client.delete(`/api/contacts/block/${alice.id}`);
	});

	it('each preview setting holds exactly what it promises', async () => {
		const chat = await group('Privacy', [carol]);
		const w = await writer(server, alice, chat.docName, clients);
		const expectations = {
			full: ['v', 'kind', 'conversationId', 'tag', 'url', 'count', 'messageId', 'at', 'mention', 'sender', 'conversation', 'text'],
			name: ['v', 'kind', 'conversationId', 'tag', 'url', 'count', 'messageId', 'at', 'mention', 'sender', 'conversation'],
			none: ['v', 'kind', 'conversationId', 'tag', 'url', 'count', 'messageId', 'at', 'mention']
		} as const;
		for (const [preview, keys] of Object.entries(expectations)) {
			expect((await carol.client.patch('/api/push/settings', { preview })).data.settings.preview).toBe(preview);
			const before = service.pushesOf(carolPhone).length;
			const secret = `the secret word is ${preview}-swordfish`;
			await send(server, w, alice, { text: secret });
			await waitFor(() => service.pushesOf(carolPhone).length > before, { what: `a ${preview} push` });
			const push = service.pushesOf(carolPhone).at(-1)!;
			expect(Object.keys(push.payload).sort()).toEqual([...keys].sort());
			const raw = JSON.stringify(push.payload);
			if (preview === 'full') expect(push.payload.text).toBe(secret);
			else expect(raw).not.toContain('swordfish');
			if (preview === 'none') {
				expect(raw).not.toContain('alice');
				expect(raw).not.toContain('Privacy');
			}
			await settled(server);
		}
		await carol.client.patch('/api/push/settings', { preview: 'full' });
	});

	it('a long text is cut and the payload stays under 3 KB', async () => {
		const chat = await group('Long', [carol]);
		const w = await writer(server, alice, chat.docName, clients);
		const before = service.pushesOf(carolPhone).length;
		await send(server, w, alice, { text: 'ж'.repeat(8000) });
		await waitFor(() => service.pushesOf(carolPhone).length > before, { what: 'the push' });
		const push = service.pushesOf(carolPhone).at(-1)!.payload;
		expect(Buffer.byteLength(JSON.stringify(push))).toBeLessThan(3072);
		expect(Array.from(push.text as string).length).toBe(server.config.limits.pushPreviewMaxChars);
		expect((push.text as string).endsWith('…')).toBe(true);
	});

	it('a burst of 50 messages makes a few pushes, the last counting all 50', async () => {
		const chat = await group('Burst', [carol]);
		const w = await writer(server, alice, chat.docName, clients);
		const before = service.pushesOf(carolPhone).length;
		const ids: string[] = [];
		for (let i = 0; i < 50; i++) {
			const id = `burst${i}x${Date.now().toString(36)}`;
			ids.push(id);
			w.doc.getArray('messages').push([{ id, author: alice.id, createdAt: Date.now(), text: `burst ${i}` }]);
		}
		await waitFor(
			() =>
				service
					.pushesOf(carolPhone)
					.slice(before)
					.some((p) => p.payload.messageId === ids[49]),
			{ what: 'the push for the last message' }
		);
		await settled(server);
		const pushes = service.pushesOf(carolPhone).slice(before);
		expect(pushes.length).toBeGreaterThanOrEqual(1);
		expect(pushes.length).toBeLessThanOrEqual(4);
		expect(pushes.at(-1)!.payload).toMatchObject({ messageId: ids[49], count: 50 });
	});

	it('reading on one device sends a silent "read" push to the devices that were notified', async () => {
		const chat = await group('Read', [bob]);
		const w = await writer(server, alice, chat.docName, clients);
		const before = service.pushesOf(bobLaptop).length;
		const id = await send(server, w, alice, { text: 'read me' });
		await waitFor(() => service.pushesOf(bobLaptop).length > before, { what: 'the message push' });
		await settled(server);
		const bw = await writer(server, bob, chat.docName, clients);
		bw.doc.getMap('reads').set(`${bob.id}:phone`, { messageId: id, at: Date.now() });
		await waitFor(
			() =>
				service
					.pushesOf(bobLaptop)
					.slice(before)
					.some((p) => p.payload.kind === 'read'),
			{ what: 'the read push' }
		);
		expect(service.pushesOf(bobLaptop).at(-1)!.payload).toEqual({ v: 1, kind: 'read', conversationId: chat.id, tag: `conv:${chat.id}` });
		// read again: nothing new was notified, so no second read push
		await settled(server);
		const after = service.pushesOf(bobLaptop).length;
		bw.doc.getMap('reads').set(`${bob.id}:laptop`, { messageId: id, at: Date.now() + 1 });
		await waitFor(() => server.parley.relay.rooms.peek(chat.docName)?.doc.getMap('reads').has(`${bob.id}:laptop`), {
			what: 'the second read accepted'
		});
		await committedAndSettled(server, chat.docName);
		expect(service.pushesOf(bobLaptop).length).toBe(after);
		// a new message counts from 1 again
		await send(server, w, alice, { text: 'after reading' });
		await waitFor(() => service.pushesOf(bobLaptop).length > after, { what: 'the next push' });
		expect(service.pushesOf(bobLaptop).at(-1)!.payload).toMatchObject({ kind: 'message', count: 1 });
	});

	it('reactions notify the author only with the setting on', async () => {
		const chat = await group('Reactions', [carol]);
		const w = await writer(server, alice, chat.docName, clients);
		const mine = await send(server, w, alice, { text: 'react to this' });
		await settled(server);
		const cw = await writer(server, carol, chat.docName, clients);
		const before = service.pushesOf(aliceDevice).length;
		cw.doc.getMap('reactions').set(`${mine}:${carol.id}`, ['👍']);
		await waitFor(() => server.parley.relay.rooms.peek(chat.docName)?.doc.getMap('reactions').has(`${mine}:${carol.id}`), {
			what: 'the reaction accepted'
		});
		await committedAndSettled(server, chat.docName);
		expect(service.pushesOf(aliceDevice).length).toBe(before);
		await alice.client.patch('/api/push/settings', { reactions: true });
		cw.doc.getMap('reactions').set(`${mine}:${carol.id}`, ['👍', '❤️']);
		await waitFor(() => service.pushesOf(aliceDevice).length > before, { what: 'the reaction push' });
		expect(service.pushesOf(aliceDevice).at(-1)!.payload).toMatchObject({
			kind: 'reaction',
			messageId: mine,
			emoji: ['👍', '❤️'],
			sender: { id: carol.id }
		});
		await alice.client.patch('/api/push/settings', { reactions: false });
	});

	it('a channel post notifies its subscribers unless muted', async () => {
		const channel = await createConversation(alice, { kind: 'channel', title: 'News' });
		expect((await alice.client.post(`/api/conversations/${channel.id}/members`, { userId: bob.id })).status).toBe(201);
		expect((await alice.client.post(`/api/conversations/${channel.id}/members`, { userId: carol.id })).status).toBe(201);
		await carol.client.patch(`/api/conversations/${channel.id}/settings`, { muted: true });
		const bobBefore = service.pushesOf(bobPhone).length;
		const carolBefore = service.pushesOf(carolPhone).length;
		const w = await writer(server, alice, channel.docName, clients);
		const id = await send(server, w, alice, { text: 'Issue 1' });
		await waitFor(
			() =>
				service
					.pushesOf(bobPhone)
					.slice(bobBefore)
					.some((p) => p.payload.messageId === id),
			{ what: 'the subscriber notified' }
		);
		await settled(server);
		expect(service.pushesOf(bobPhone).at(-1)!.payload.conversation).toEqual({ kind: 'channel', title: 'News' });
		expect(service.pushesOf(carolPhone).length).toBe(carolBefore);
	});

	it('GET /api/push/unread: the unread total for the badge, muted conversations apart', async () => {
		const before = (await carol.client.get('/api/push/unread')).data as { total: number; muted: number };
		const chat = await group('Unread', [carol]);
		const w = await writer(server, alice, chat.docName, clients);
		await send(server, w, alice, { text: 'one' });
		await send(server, w, alice, { text: 'two' });
		expect((await carol.client.get('/api/push/unread')).data).toEqual({ total: before.total + 2, muted: before.muted });
		await carol.client.patch(`/api/conversations/${chat.id}/settings`, { muted: true });
		expect((await carol.client.get('/api/push/unread')).data).toEqual({ total: before.total, muted: before.muted + 2 });
		expect((await alice.client.get('/api/push/unread')).status).toBe(200);
	});
});
