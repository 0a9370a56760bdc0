// Work per message stays bounded: in a conversation over `inboxImmediateMaxMembers` members, each
// member's inbox entry is written at most once per `inboxCoalesceMs`; smaller ones are immediate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { clientPool, waitFor } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';

const MESSAGES = 6;
const COALESCE_MS = 1_000;

describe(`inbox write coalescing (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser;
	const { open, inboxOf, destroyAll } = clientPool(() => server.url);

	beforeAll(async () => {
		// Two members write at once (a direct conversation); three are "large" and coalesced.
		server = await startTestServer({
			overrides: { limits: { ...DEFAULT_LIMITS, inboxImmediateMaxMembers: 2, inboxCoalesceMs: COALESCE_MS } }
		});
		[alice, bob, carol] = [await signUp(server.url, 'alice'), await signUp(server.url, 'bob'), await signUp(server.url, 'carol')];
	});
	afterAll(async () => {
		destroyAll();
		await server?.close();
	});

	/** Sends MESSAGES messages one commit after another; returns how many inbox writes bob's inbox got meanwhile. */
	async function burst(docName: string, conversationId: string, prefix: string, waitEach = false): Promise<number> {
		const inbox = await inboxOf(bob);
		const writer = open(alice, docName);
		await Promise.all([inbox.synced(), writer.synced()]);
		const entry = () =>
			inbox.doc.getMap('conversations').get(conversationId) as { lastMessage?: { id: string }; unread: number } | undefined;
		await waitFor(() => entry() !== undefined, { what: "bob's entry" });
		const before = server.parley.runtime.inbox.stats.docWrites;
		for (let i = 0; i < MESSAGES; i++) {
			const id = `${prefix}${i}`;
			writer.doc.getArray('messages').push([{ id, author: alice.id, createdAt: Date.now(), text: id }]);
			// Each message its own commit, so nothing but coalescing can merge their inbox writes.
			await waitFor(async () => (await server.db.query(`select 1 from messages where id = $1`, [id])).length === 1, {
				what: `${id} stored`
			});
			// An immediate conversation's inbox write follows the commit asynchronously: on a busy machine the
			// next commit can land first and the service then writes both in one batch (fewer writes, not more).
			if (waitEach) await waitFor(() => entry()?.lastMessage?.id === id, { what: `${id} in bob's inbox` });
		}
		const last = `${prefix}${MESSAGES - 1}`;
		await waitFor(() => entry()?.lastMessage?.id === last, { what: `${last} in bob's inbox`, timeoutMs: 5 * COALESCE_MS });
		expect(entry()!.unread).toBeGreaterThanOrEqual(MESSAGES);
		return server.parley.runtime.inbox.stats.docWrites - before;
	}

	it('writes a small conversation’s entry once per message', async () => {
		const direct = await createConversation(alice, { kind: 'direct', userId: bob.id });
		expect(await burst(direct.docName, direct.id, 'd', true)).toBe(MESSAGES);
	});

	it('writes a large conversation’s entry at most once per window, and ends current', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Large', memberIds: [bob.id, carol.id] });
		const started = Date.now();
		const writes = await burst(group.docName, group.id, 'g');
		// One write at once, then at most one per window that the burst (and its tail) spanned.
		expect(writes).toBeGreaterThanOrEqual(1);
		expect(writes).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - started) / COALESCE_MS));
		expect(writes).toBeLessThan(MESSAGES);
	});
});
