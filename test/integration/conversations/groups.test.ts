// Groups: create, edit, roles, add/remove, leave (ownership hand-over), delete, settings, size limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { expectError, startServer, users } from './helpers.js';

/** The group size limit of this file's server (owner included). */
const GROUP_MAX = 4;

describe(`groups (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, erin: TestUser;
	const group = async (owner: TestUser, memberIds: string[], title = 'Team') => {
		const res = await owner.client.post('/api/conversations', { kind: 'group', title, memberIds });
		expect(res.status, JSON.stringify(res.data)).toBe(201);
		return res.data.conversation as { id: string; docName: string };
	};
	const roles = async (viewer: TestUser, id: string) =>
		Object.fromEntries((await viewer.client.get(`/api/conversations/${id}/members`)).data.members.map((m: any) => [m.user.id, m.role]));

	beforeAll(async () => {
		server = await startServer({ groupMaxMembers: GROUP_MAX });
		[alice, bob, carol, dave, erin] = await users(server, 'alice', 'bob', 'carol', 'dave', 'erin');
	});
	afterAll(() => server?.close());

	it('creates a group with title, description and members; everyone sees it in their list', async () => {
		const res = await alice.client.post('/api/conversations', {
			kind: 'group',
			title: '  Team  ',
			description: 'Our team',
			memberIds: [bob.id, carol.id, alice.id]
		});
		expect(res.status).toBe(201);
		expect(res.data.conversation).toMatchObject({
			kind: 'group',
			title: 'Team',
			description: 'Our team',
			role: 'owner',
			memberCount: 3,
			muted: false,
			pinned: false,
			archived: false,
			avatarUrl: null
		});
		const bobs = await bob.client.get('/api/conversations');
		expect(bobs.data.conversations.find((c: { id: string }) => c.id === res.data.conversation.id)).toMatchObject({
			role: 'member',
			title: 'Team'
		});
		expect(await roles(bob, res.data.conversation.id)).toEqual({ [alice.id]: 'owner', [bob.id]: 'member', [carol.id]: 'member' });
	});

	it('validates: 400 naming the field for a missing or long title and an unknown member', async () => {
		expectError(await alice.client.post('/api/conversations', { kind: 'group', memberIds: [] }), 400, 'invalid_input', 'title');
		expectError(await alice.client.post('/api/conversations', { kind: 'group', title: ' ' }), 400, 'invalid_input', 'title');
		expectError(await alice.client.post('/api/conversations', { kind: 'group', title: 'x'.repeat(129) }), 400, 'invalid_input', 'title');
		expectError(
			await alice.client.post('/api/conversations', { kind: 'group', title: 'T', memberIds: ['c'.repeat(24)] }),
			400,
			'invalid_input',
			'memberIds'
		);
		expectError(
			await alice.client.post('/api/conversations', { kind: 'group', title: 'T', description: 'd'.repeat(2001) }),
			400,
			'invalid_input',
			'description'
		);
	});

	it(`enforces the size limit (${GROUP_MAX}) on create and on add`, async () => {
		const [f, g] = await users(server, 'fred', 'gina');
		expectError(
			await alice.client.post('/api/conversations', { kind: 'group', title: 'Big', memberIds: [bob.id, carol.id, dave.id, erin.id] }),
			400,
			'invalid_input',
			'memberIds'
		);
		const { id } = await group(alice, [bob.id, carol.id, dave.id]);
		expectError(await alice.client.post(`/api/conversations/${id}/members`, { userId: f.id }), 409, 'conversation_full');
		expect((await alice.client.delete(`/api/conversations/${id}/members/${dave.id}`)).status).toBe(204);
		expect((await alice.client.post(`/api/conversations/${id}/members`, { userId: g.id })).status).toBe(201);
	});

	it('adds members (owner/admin only); refuses members, non-members, duplicates and wrong roles', async () => {
		const { id } = await group(alice, [bob.id]);
		expectError(await bob.client.post(`/api/conversations/${id}/members`, { userId: carol.id }), 403, 'forbidden');
		expectError(await carol.client.post(`/api/conversations/${id}/members`, { userId: dave.id }), 404, 'not_found');
		expectError(await alice.client.post(`/api/conversations/${id}/members`, { userId: bob.id }), 409, 'already_member');
		expectError(
			await alice.client.post(`/api/conversations/${id}/members`, { userId: carol.id, role: 'subscriber' }),
			400,
			'invalid_input',
			'role'
		);
		expectError(
			await alice.client.post(`/api/conversations/${id}/members`, { userId: carol.id, role: 'owner' }),
			400,
			'invalid_input',
			'role'
		);
		expectError(await alice.client.post(`/api/conversations/${id}/members`, {}), 400, 'invalid_input', 'userId');
		expectError(await alice.client.post(`/api/conversations/${id}/members`, { userId: 'd'.repeat(24) }), 404, 'not_found');
		const added = await alice.client.post(`/api/conversations/${id}/members`, { userId: carol.id, role: 'admin' });
		expect(added.status).toBe(201);
		expect(added.data.member).toMatchObject({ user: { id: carol.id }, role: 'admin' });
		// An admin adds too.
		expect((await carol.client.post(`/api/conversations/${id}/members`, { userId: dave.id })).status).toBe(201);
		expect((await dave.client.get(`/api/conversations/${id}`)).data.conversation).toMatchObject({ role: 'member', memberCount: 4 });
	});

	it('refuses to add someone who blocked me, whom I blocked, or who accepts only contacts', async () => {
		const [h, i, j, k] = await users(server, 'hank', 'iris', 'jack', 'kim');
		const { id } = await group(h, []);
		expect((await i.client.post('/api/contacts/block', { userId: h.id })).status).toBe(201);
		expectError(await h.client.post(`/api/conversations/${id}/members`, { userId: i.id }), 403, 'forbidden', 'userId');
		expectError(await h.client.post('/api/conversations', { kind: 'group', title: 'T', memberIds: [i.id] }), 403, 'forbidden', 'memberIds');
		expect((await h.client.post('/api/contacts/block', { userId: j.id })).status).toBe(201);
		expectError(await h.client.post(`/api/conversations/${id}/members`, { userId: j.id }), 403, 'blocked');
		expect((await k.client.patch('/api/me/privacy', { allowConversationsFrom: 'contacts' })).status).toBe(200);
		expectError(await h.client.post(`/api/conversations/${id}/members`, { userId: k.id }), 403, 'forbidden');
		expect((await k.client.post('/api/contacts', { userId: h.id })).status).toBe(201);
		expect((await h.client.post(`/api/conversations/${id}/members`, { userId: k.id })).status).toBe(201);
	});

	it('edits title and description (owner/admin); members get 403, non-members 404, bad input 400', async () => {
		const { id } = await group(alice, [bob.id, carol.id]);
		expect((await alice.client.patch(`/api/conversations/${id}/members/${carol.id}`, { role: 'admin' })).status).toBe(200);
		const edited = await carol.client.patch(`/api/conversations/${id}`, { title: 'Renamed', description: 'New words' });
		expect(edited.status).toBe(200);
		expect(edited.data.conversation).toMatchObject({ title: 'Renamed', description: 'New words', role: 'admin' });
		expect((await bob.client.get(`/api/conversations/${id}`)).data.conversation.title).toBe('Renamed');
		expectError(await bob.client.patch(`/api/conversations/${id}`, { title: 'Mine' }), 403, 'forbidden');
		expectError(await dave.client.patch(`/api/conversations/${id}`, { title: 'Mine' }), 404, 'not_found');
		expectError(await alice.client.patch(`/api/conversations/${id}`, {}), 400, 'invalid_input');
		expectError(await alice.client.patch(`/api/conversations/${id}`, { title: '' }), 400, 'invalid_input', 'title');
		expectError(await alice.client.patch(`/api/conversations/${id}`, { public: true }), 400, 'invalid_input', 'public');
		expectError(await alice.client.patch(`/api/conversations/not-an-id`, { title: 'x' }), 404, 'not_found');
	});

	it('roles: admins promote members but only the owner demotes admins; nobody changes the owner', async () => {
		const { id } = await group(alice, [bob.id, carol.id, dave.id]);
		expectError(await bob.client.patch(`/api/conversations/${id}/members/${carol.id}`, { role: 'admin' }), 403, 'forbidden');
		expect((await alice.client.patch(`/api/conversations/${id}/members/${bob.id}`, { role: 'admin' })).data.member.role).toBe('admin');
		expect((await bob.client.patch(`/api/conversations/${id}/members/${carol.id}`, { role: 'admin' })).data.member.role).toBe('admin');
		expectError(await bob.client.patch(`/api/conversations/${id}/members/${carol.id}`, { role: 'member' }), 403, 'forbidden');
		expectError(await bob.client.patch(`/api/conversations/${id}/members/${alice.id}`, { role: 'member' }), 403, 'forbidden');
		expectError(await bob.client.patch(`/api/conversations/${id}/members/${dave.id}`, { role: 'owner' }), 403, 'forbidden');
		expect((await alice.client.patch(`/api/conversations/${id}/members/${carol.id}`, { role: 'member' })).data.member.role).toBe('member');
		expectError(
			await alice.client.patch(`/api/conversations/${id}/members/${carol.id}`, { role: 'subscriber' }),
			400,
			'invalid_input',
			'role'
		);
		expectError(await alice.client.patch(`/api/conversations/${id}/members/${carol.id}`, { role: 'boss' }), 400, 'invalid_input', 'role');
		expectError(
			await alice.client.patch(`/api/conversations/${id}/members/${alice.id}`, { role: 'admin' }),
			400,
			'invalid_input',
			'userId'
		);
		expectError(await alice.client.patch(`/api/conversations/${id}/members/${erin.id}`, { role: 'admin' }), 404, 'not_found');
		expect(await roles(alice, id)).toEqual({ [alice.id]: 'owner', [bob.id]: 'admin', [carol.id]: 'member', [dave.id]: 'member' });
	});

	it('hands ownership over with role "owner": the old owner becomes an admin', async () => {
		const { id } = await group(alice, [bob.id]);
		expect((await alice.client.patch(`/api/conversations/${id}/members/${bob.id}`, { role: 'owner' })).data.member.role).toBe('owner');
		expect(await roles(bob, id)).toEqual({ [alice.id]: 'admin', [bob.id]: 'owner' });
		expectError(await alice.client.delete(`/api/conversations/${id}`), 403, 'forbidden');
	});

	it('removes members: the owner anyone, an admin only members; the owner never', async () => {
		const { id } = await group(alice, [bob.id, carol.id, dave.id]);
		await alice.client.patch(`/api/conversations/${id}/members/${bob.id}`, { role: 'admin' });
		await alice.client.patch(`/api/conversations/${id}/members/${carol.id}`, { role: 'admin' });
		expectError(await dave.client.delete(`/api/conversations/${id}/members/${bob.id}`), 403, 'forbidden');
		expectError(await bob.client.delete(`/api/conversations/${id}/members/${carol.id}`), 403, 'forbidden');
		expectError(await bob.client.delete(`/api/conversations/${id}/members/${alice.id}`), 403, 'forbidden');
		expectError(await bob.client.delete(`/api/conversations/${id}/members/${erin.id}`), 404, 'not_found');
		expect((await bob.client.delete(`/api/conversations/${id}/members/${dave.id}`)).status).toBe(204);
		expect((await alice.client.delete(`/api/conversations/${id}/members/${carol.id}`)).status).toBe(204);
		expectError(await dave.client.get(`/api/conversations/${id}`), 404, 'not_found');
		expect(await roles(alice, id)).toEqual({ [alice.id]: 'owner', [bob.id]: 'admin' });
	});

	it('leaving: a member just goes; an owner hands over to the oldest admin, else the oldest member, else the group is deleted', async () => {
		const { id } = await group(alice, [bob.id, carol.id, dave.id]);
		await alice.client.patch(`/api/conversations/${id}/members/${dave.id}`, { role: 'admin' });
		expect((await carol.client.delete(`/api/conversations/${id}/members/${carol.id}`)).status).toBe(204);
		expect((await alice.client.delete(`/api/conversations/${id}/members/${alice.id}`)).status).toBe(204);
		expect(await roles(bob, id)).toEqual({ [bob.id]: 'member', [dave.id]: 'owner' });
		expect((await dave.client.delete(`/api/conversations/${id}/members/${dave.id}`)).status).toBe(204);
		expect(await roles(bob, id)).toEqual({ [bob.id]: 'owner' });
		expect((await bob.client.delete(`/api/conversations/${id}/members/${bob.id}`)).status).toBe(204);
		expect(await server.db.query(`select id from conversations where id = $1`, [id])).toEqual([]);
		expectError(await bob.client.get(`/api/conversations/${id}`), 404, 'not_found');
	});

	it('deletes a group (owner only): rows and document are gone', async () => {
		const { id, docName } = await group(alice, [bob.id]);
		expectError(await bob.client.delete(`/api/conversations/${id}`), 403, 'forbidden');
		expectError(await carol.client.delete(`/api/conversations/${id}`), 404, 'not_found');
		expect((await alice.client.delete(`/api/conversations/${id}`)).status).toBe(204);
		expect(await server.db.query(`select 1 from conversation_members where conversation_id = $1`, [id])).toEqual([]);
		expect(
			await server.db.query(`select 1 from doc_updates where doc_name = $1 union all select 1 from messages where doc_name = $1`, [docName])
		).toEqual([]);
		expectError(await alice.client.delete(`/api/conversations/${id}`), 404, 'not_found');
	});

	it('per-member settings: mute, pin, archive are mine only; pinned conversations list first', async () => {
		const older = await group(alice, [bob.id], 'Older');
		await group(alice, [bob.id], 'Newer');
		const res = await bob.client.patch(`/api/conversations/${older.id}/settings`, { muted: true, pinned: true });
		expect(res.status).toBe(200);
		expect(res.data.settings).toEqual({ muted: true, pinned: true, archived: false });
		expect((await bob.client.patch(`/api/conversations/${older.id}/settings`, { archived: true })).data.settings).toEqual({
			muted: true,
			pinned: true,
			archived: true
		});
		const bobs = (await bob.client.get('/api/conversations')).data.conversations;
		expect(bobs[0]).toMatchObject({ id: older.id, muted: true, pinned: true, archived: true });
		expect((await alice.client.get(`/api/conversations/${older.id}`)).data.conversation).toMatchObject({
			muted: false,
			pinned: false,
			archived: false
		});
		expectError(await bob.client.patch(`/api/conversations/${older.id}/settings`, {}), 400, 'invalid_input');
		expectError(await bob.client.patch(`/api/conversations/${older.id}/settings`, { muted: 'yes' }), 400, 'invalid_input', 'muted');
		expectError(await carol.client.patch(`/api/conversations/${older.id}/settings`, { muted: true }), 404, 'not_found');
	});

	it('group picture: owner/admin upload, members fetch it, others get 404; members cannot change it', async () => {
		const { id } = await group(alice, [bob.id]);
		const png = await sharp({ create: { width: 64, height: 40, channels: 3, background: '#3366cc' } })
			.png()
			.toBuffer();
		// Multipart is a "form" to SvelteKit: it wants our Origin, as a browser sends it.
		const headers = { origin: server.origin };
		const form = () => {
			const body = new FormData();
			body.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'a.png');
			return body;
		};
		expectError(await bob.client.request('PUT', `/api/conversations/${id}/avatar`, { body: form(), headers }), 403, 'forbidden');
		const put = await alice.client.request('PUT', `/api/conversations/${id}/avatar`, { body: form(), headers });
		expect(put.status, put.text).toBe(200);
		const url = put.data.avatarUrl as string;
		expect((await bob.client.get(`/api/conversations/${id}`)).data.conversation.avatarUrl).toBe(url);
		const image = await fetch(new URL(url, server.url), { headers: { cookie: bob.client.cookieHeader() } });
		expect(image.status).toBe(200);
		expect(image.headers.get('content-type')).toBe('image/webp');
		const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
		expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);
		expectError(await carol.client.get(url), 404, 'not_found');
		expectError(
			await alice.client.request('PUT', `/api/conversations/${id}/avatar`, {
				body: 'not an image',
				headers: { 'content-type': 'application/octet-stream' }
			}),
			415
		);
		expect((await alice.client.delete(`/api/conversations/${id}/avatar`)).status).toBe(204);
		expect((await bob.client.get(`/api/conversations/${id}`)).data.conversation.avatarUrl).toBeNull();
		expectError(await bob.client.get(url), 404, 'not_found');
	});
});
