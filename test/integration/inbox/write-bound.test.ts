// Red-team follow-up to issue 8, item 7: inbox writes are server writes, which skip the commit
// queue's bounds; a pass of the inbox service computes and writes at most `inboxWriteMaxPairs`
// entries, the rest follow in later passes, and every open inbox still ends current.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { clientPool, waitFor } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';

const MAX_PAIRS = 2;

describe(`inbox writes per pass are bounded (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser;
	let readers: TestUser[];
	const { open, inboxOf, destroyAll } = clientPool(() => server.url);

	beforeAll(async () => {
		server = await startTestServer({ overrides: { limits: { ...DEFAULT_LIMITS, inboxWriteMaxPairs: MAX_PAIRS } } });
		alice = await signUp(server.url, 'alice');
		readers = [
			await signUp(server.url, 'r1'),
			await signUp(server.url, 'r2'),
			await signUp(server.url, 'r3'),
			await signUp(server.url, 'r4'),
			await signUp(server.url, 'r5')
		];
	});
	afterAll(async () => {
		destroyAll();
		await server?.close();
	});

	it('a message to a group with more open inboxes than inboxWriteMaxPairs reaches them all, in passes of at most that many', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Many', memberIds: readers.map((r) => r.id) });
		const inboxes = await Promise.all(readers.map((r) => inboxOf(r)));
		await Promise.all(inboxes.map((i) => i.synced()));
		const writer = open(alice, group.docName);
		await writer.synced();
		const stats = server.parley.runtime.inbox.stats;
		const writesBefore = stats.docWrites;
		writer.doc.getArray('messages').push([{ id: 'm1', author: alice.id, createdAt: Date.now(), text: 'hello all' }]);
		const last = (i: (typeof inboxes)[number]) =>
			(i.doc.getMap('conversations').get(group.id) as { lastMessage?: { id: string } } | undefined)?.lastMessage?.id;
		await waitFor(() => inboxes.every((i) => last(i) === 'm1'), { what: 'every inbox current' });
		expect(stats.largestPass).toBeLessThanOrEqual(MAX_PAIRS);
		expect(stats.docWrites - writesBefore).toBeGreaterThanOrEqual(readers.length);
	});
});
