// Channels: subscribers, who sees whom, invite links, public channels found by search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { expectError, startServer, users } from './helpers.js';

/** The invite links alive at once in one conversation, on this file's server. */
const INVITES_MAX = 3;

describe(`channels and invites (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let owner: TestUser, admin: TestUser, sub1: TestUser, sub2: TestUser, outsider: TestUser;
	let channelId: string;
	const memberIds = async (viewer: TestUser, id: string) =>
		(await viewer.client.get(`/api/conversations/${id}/members`)).data.members.map((m: { user: { id: string } }) => m.user.id).sort();

	beforeAll(async () => {
		server = await startServer({ conversationInvitesMax: INVITES_MAX });
		[owner, admin, sub1, sub2, outsider] = await users(server, 'owner', 'admin', 'sub1', 'sub2', 'outsider');
		const res = await owner.client.post('/api/conversations', { kind: 'channel', title: 'News', description: 'Daily news' });
		expect(res.status).toBe(201);
		expect(res.data.conversation).toMatchObject({ kind: 'channel', role: 'owner', public: false, memberCount: 1 });
		channelId = res.data.conversation.id;
	});
	afterAll(() => server?.close());

	it('adds subscribers by default and admins on request; a channel has no "member" role', async () => {
		const sub = await owner.client.post(`/api/conversations/${channelId}/members`, { userId: sub1.id });
		expect(sub.status).toBe(201);
		expect(sub.data.member.role).toBe('subscriber');
		expect((await owner.client.post(`/api/conversations/${channelId}/members`, { userId: admin.id, role: 'admin' })).data.member.role).toBe(
			'admin'
		);
		expectError(
			await owner.client.post(`/api/conversations/${channelId}/members`, { userId: sub2.id, role: 'member' }),
			400,
			'invalid_input',
			'role'
		);
		expectError(await sub1.client.post(`/api/conversations/${channelId}/members`, { userId: sub2.id }), 403, 'forbidden');
		expect((await admin.client.post(`/api/conversations/${channelId}/members`, { userId: sub2.id })).status).toBe(201);
	});

	it('subscribers see only the owner and admins in the member list; owner and admins see everyone', async () => {
		const everyone = [owner.id, admin.id, sub1.id, sub2.id].sort();
		expect(await memberIds(owner, channelId)).toEqual(everyone);
		expect(await memberIds(admin, channelId)).toEqual(everyone);
		expect(await memberIds(sub1, channelId)).toEqual([owner.id, admin.id].sort());
		expectError(await outsider.client.get(`/api/conversations/${channelId}/members`), 404, 'not_found');
		expect((await sub1.client.get(`/api/conversations/${channelId}`)).data.conversation).toMatchObject({
			role: 'subscriber',
			memberCount: 4
		});
	});

	it('pages the member list and validates the paging', async () => {
		const page = await owner.client.get(`/api/conversations/${channelId}/members?limit=2&offset=1`);
		expect(page.data.members.map((m: { role: string }) => m.role)).toEqual(['admin', 'subscriber']);
		expectError(await owner.client.get(`/api/conversations/${channelId}/members?limit=0`), 400, 'invalid_input', 'limit');
		expectError(await owner.client.get(`/api/conversations/${channelId}/members?limit=501`), 400, 'invalid_input', 'limit');
	});

	it('invite links: owner/admin make them (token shown once), anyone with one joins as a subscriber', async () => {
		expectError(await sub1.client.post(`/api/conversations/${channelId}/invites`), 403, 'forbidden');
		expectError(await outsider.client.post(`/api/conversations/${channelId}/invites`), 404, 'not_found');
		const made = await admin.client.post(`/api/conversations/${channelId}/invites`);
		expect(made.status).toBe(201);
		const { token, url, id } = made.data.invite;
		expect(url).toBe(`${server.origin}/join/${token}`);
		const listed = await owner.client.get(`/api/conversations/${channelId}/invites`);
		expect(listed.data.invites).toEqual([{ id, createdBy: admin.id, createdAt: expect.any(String) }]);
		expectError(await sub1.client.get(`/api/conversations/${channelId}/invites`), 403, 'forbidden');
		const preview = await outsider.client.get(`/api/invites/${token}`);
		expect(preview.data.conversation).toMatchObject({ id: channelId, kind: 'channel', title: 'News', memberCount: 4 });
		const joined = await outsider.client.post(`/api/invites/${token}`);
		expect(joined.status).toBe(201);
		expect(joined.data.conversation).toMatchObject({ id: channelId, role: 'subscriber' });
		expect((await outsider.client.post(`/api/invites/${token}`)).status).toBe(200);
		expect(await memberIds(outsider, channelId)).toEqual([owner.id, admin.id].sort());
	});

	it('a revoked invite lets nobody in; unknown tokens are 404; the number of live links is limited', async () => {
		const [late] = await users(server, 'late');
		const made = await owner.client.post(`/api/conversations/${channelId}/invites`);
		expectError(await sub1.client.delete(`/api/conversations/${channelId}/invites/${made.data.invite.id}`), 403, 'forbidden');
		expect((await owner.client.delete(`/api/conversations/${channelId}/invites/${made.data.invite.id}`)).status).toBe(204);
		expectError(await late.client.post(`/api/invites/${made.data.invite.token}`), 404, 'not_found');
		expectError(await late.client.get(`/api/invites/${made.data.invite.token}`), 404, 'not_found');
		expectError(await late.client.post('/api/invites/nonsense'), 404, 'not_found');
		expectError(await owner.client.delete(`/api/conversations/${channelId}/invites/${made.data.invite.id}`), 404, 'not_found');
		const live = (await owner.client.get(`/api/conversations/${channelId}/invites`)).data.invites.length;
		for (let i = live; i < INVITES_MAX; i++) expect((await owner.client.post(`/api/conversations/${channelId}/invites`)).status).toBe(201);
		expectError(await owner.client.post(`/api/conversations/${channelId}/invites`), 409, 'too_many_invites');
	});

	it('a group invite makes a member, who sees everyone', async () => {
		const group = await owner.client.post('/api/conversations', { kind: 'group', title: 'Crew', memberIds: [admin.id] });
		const invite = await owner.client.post(`/api/conversations/${group.data.conversation.id}/invites`);
		const joined = await sub2.client.post(`/api/invites/${invite.data.invite.token}`);
		expect(joined.status).toBe(201);
		expect(joined.data.conversation).toMatchObject({ kind: 'group', role: 'member', memberCount: 3 });
		expect(await memberIds(sub2, group.data.conversation.id)).toEqual([owner.id, admin.id, sub2.id].sort());
	});

	it('public channels: made public by owner/admin, found by search, joined without an invite', async () => {
		const [reader] = await users(server, 'reader');
		expectError(await reader.client.post(`/api/conversations/${channelId}/join`), 404, 'not_found');
		expect((await reader.client.get('/api/channels?q=news')).data.channels).toEqual([]);
		expectError(await sub1.client.patch(`/api/conversations/${channelId}`, { public: true }), 403, 'forbidden');
		expect((await admin.client.patch(`/api/conversations/${channelId}`, { public: true })).data.conversation.public).toBe(true);
		const found = await reader.client.get('/api/channels?q=NEWS');
		expect(found.data.channels).toEqual([
			{ id: channelId, title: 'News', description: 'Daily news', avatarUrl: null, memberCount: expect.any(Number), joined: false }
		]);
		expect((await reader.client.get('/api/channels?q=daily')).data.channels).toHaveLength(1);
		expect((await reader.client.get('/api/channels?q=sports')).data.channels).toEqual([]);
		const joined = await reader.client.post(`/api/conversations/${channelId}/join`);
		expect(joined.status).toBe(201);
		expect(joined.data.conversation.role).toBe('subscriber');
		expect((await reader.client.post(`/api/conversations/${channelId}/join`)).status).toBe(200);
		expect((await reader.client.get('/api/channels?q=news')).data.channels[0].joined).toBe(true);
		expectError(await reader.client.get(`/api/channels?q=${'x'.repeat(65)}`), 400, 'invalid_input', 'q');
		// Groups are never public, nor joinable this way.
		const group = await owner.client.post('/api/conversations', { kind: 'group', title: 'News team' });
		expectError(await reader.client.post(`/api/conversations/${group.data.conversation.id}/join`), 404, 'not_found');
	});

	it('a subscriber leaves; the owner hands the channel to the oldest admin on leaving', async () => {
		expect((await sub1.client.delete(`/api/conversations/${channelId}/members/${sub1.id}`)).status).toBe(204);
		expectError(await sub1.client.get(`/api/conversations/${channelId}`), 404, 'not_found');
		expect((await owner.client.delete(`/api/conversations/${channelId}/members/${owner.id}`)).status).toBe(204);
		expect((await admin.client.get(`/api/conversations/${channelId}`)).data.conversation.role).toBe('owner');
	});
});
