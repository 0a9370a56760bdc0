// Red-team follow-up: others add people to groups, so without a cap strangers could grow someone's
// inbox without end. userConversationsMax bounds the conversations one person belongs to, on every
// way in (creating, a direct chat, being added, joining by invite); leaving makes room again. A
// direct chat someone else opened does not count (C11b, issue 21 item 5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../helpers/database.js';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { expectError, startServer, users } from './helpers.js';

const CAP = 3;

describe(`conversations per person (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser, dan: TestUser;
	beforeAll(async () => {
		server = await startServer({ userConversationsMax: CAP });
		[alice, bob, carol, dan] = await users(server, 'alice', 'bob', 'carol', 'dan');
	});
	afterAll(() => server?.close());

	const create = (user: TestUser, body: Record<string, unknown>) => user.client.post('/api/conversations', body);

	it('[C11a] refuses a fourth conversation on every way in, naming who is full, and takes one again after leaving', async () => {
		// Carol is put into three groups by others.
		const groups: string[] = [];
		for (const owner of [alice, bob, dan]) {
			const made = await create(owner, { kind: 'group', title: `by ${owner.username}`, memberIds: [carol.id] });
			expect(made.status).toBe(201);
			groups.push(made.data.conversation.id);
		}
		// Full: a group naming her is refused as a whole, an addition and a direct chat too.
		expectError(
			await create(alice, { kind: 'group', title: 'one more', memberIds: [carol.id] }),
			409,
			'too_many_conversations',
			'memberIds'
		);
		const extra = await create(alice, { kind: 'group', title: 'extra' });
		expect(extra.status).toBe(201);
		const extraId = extra.data.conversation.id;
		expectError(
			await alice.client.post(`/api/conversations/${extraId}/members`, { userId: carol.id }),
			409,
			'too_many_conversations',
			'userId'
		);
		// A direct chat someone else opens is not refused and does not count (C11b).
		expect((await create(dan, { kind: 'direct', userId: carol.id })).status).toBe(201);
		// Her own attempts say it is her count.
		const own = await create(carol, { kind: 'channel', title: 'mine' });
		expectError(own, 409, 'too_many_conversations');
		expect(own.data.error.field).toBeUndefined();
		const invite = await alice.client.post(`/api/conversations/${extraId}/invites`);
		expect(invite.status).toBe(201);
		expectError(await carol.client.post(`/api/invites/${invite.data.invite.token}`), 409, 'too_many_conversations');
		// Leaving one makes room: the invite now works.
		expect((await carol.client.delete(`/api/conversations/${groups[0]}/members/${carol.id}`)).status).toBe(204);
		expect((await carol.client.post(`/api/invites/${invite.data.invite.token}`)).status).toBe(201);
		const mine = await carol.client.get('/api/conversations');
		expect(mine.data.conversations).toHaveLength(CAP + 1);
	});

	it('[C11b] strangers opening direct chats cannot push someone to the cap; the opener’s own count holds them', async () => {
		// Before (issue 21 item 5): three strangers' direct chats filled erin's cap of 3, and erin
		// could then create, join or be added to nothing (409 too_many_conversations).
		const [erin, ...strangers] = await users(server, 'erin', 's1', 's2', 's3', 's4');
		for (const stranger of strangers) expect((await create(stranger, { kind: 'direct', userId: erin.id })).status).toBe(201);
		expect((await erin.client.get('/api/conversations')).data.conversations).toHaveLength(strangers.length);
		for (let i = 0; i < CAP; i++) expect((await create(erin!, { kind: 'group', title: `erin ${i}` })).status).toBe(201);
		expectError(await create(erin!, { kind: 'group', title: 'one too many' }), 409, 'too_many_conversations');
		// The chats erin opens herself count for her: she is full, so she opens no new one...
		const [fred] = await users(server, 'fred');
		expectError(await create(erin!, { kind: 'direct', userId: fred!.id }), 409, 'too_many_conversations');
		// ...but a stranger's chat she already has stays hers to use.
		const again = await create(erin!, { kind: 'direct', userId: strangers[0]!.id });
		expect(again.status).toBe(200);
	});
});
