// Red-team follow-up to issue 8, item 7: starting conversations, creating groups and adding members
// are rate-limited per user (rateConversationCreateMax, rateGroupCreateMax, rateMemberAddMax: 429
// with Retry-After); another user is not affected. Limits: docs/operations.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { testDatabaseKind } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { signUp, type TestUser } from '../../helpers/users.js';

describe(`conversation rate limits (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser, dan: TestUser;
	beforeAll(async () => {
		server = await startTestServer({
			overrides: { limits: { ...DEFAULT_LIMITS, rateConversationCreateMax: 4, rateGroupCreateMax: 2, rateMemberAddMax: 2 } }
		});
		[alice, bob, carol, dan] = await Promise.all([
			signUp(server.url, 'alice'),
			signUp(server.url, 'bob'),
			signUp(server.url, 'carol'),
			signUp(server.url, 'dan')
		]);
	});
	afterAll(() => server?.close());

	const create = (user: TestUser, body: Record<string, unknown>) => user.client.post('/api/conversations', body);

	it('groups per user are capped by rateGroupCreateMax, all conversations by rateConversationCreateMax', async () => {
		expect((await create(alice, { kind: 'group', title: 'One' })).status).toBe(201);
		expect((await create(alice, { kind: 'channel', title: 'Two' })).status).toBe(201);
		const third = await create(alice, { kind: 'group', title: 'Three' });
		expect(third.status).toBe(429);
		expect(third.data.error.code).toBe('rate_limited');
		expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
		// Direct conversations count against the general limit only (the refused group took one too).
		expect((await create(alice, { kind: 'direct', userId: bob.id })).status).toBe(201);
		expect((await create(alice, { kind: 'direct', userId: carol.id })).status).toBe(429);
		// Someone else is not affected.
		expect((await create(bob, { kind: 'group', title: 'Bob’s' })).status).toBe(201);
	});

	it('member additions per user are capped by rateMemberAddMax', async () => {
		const group = await create(bob, { kind: 'group', title: 'Adds' });
		const id = group.data.conversation.id;
		expect((await bob.client.post(`/api/conversations/${id}/members`, { userId: alice.id })).status).toBe(201);
		expect((await bob.client.post(`/api/conversations/${id}/members`, { userId: carol.id })).status).toBe(201);
		const limited = await bob.client.post(`/api/conversations/${id}/members`, { userId: dan.id });
		expect(limited.status).toBe(429);
		expect(limited.data.error.code).toBe('rate_limited');
	});
});
