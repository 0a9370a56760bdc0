// R27's memory is bounded: a loaded document keeps the newest relayRoomUploadIdsMax upload ids of
// its conversation (docs/uploads.md). An envelope naming an older one is refused like a foreign
// upload (the client uploads the file again: same bytes, stored once), a newer one is accepted,
// and an upload made while the document is open evicts the oldest id kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../helpers/database.js';
import { clientPool, waitFor } from '../../helpers/sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { startUploadServer, upload, type UploadServer } from './helpers.js';

const KEPT = 2;
type Upload = { id: string; url: string; mime: string; size: number };

describe(`R27 upload ids per loaded document are bounded (${testDatabaseKind()})`, () => {
	let ctx: UploadServer;
	let alice: TestUser;
	let group: { id: string; docName: string };
	const pool = clientPool(() => ctx.server.url);
	let n = 0;

	beforeAll(async () => {
		ctx = await startUploadServer({ startLimits: { relayRoomUploadIdsMax: KEPT } });
		alice = await signUp(ctx.server.url, 'alice');
		group = await createConversation(alice, { kind: 'group', title: 'Album', memberIds: [] });
	});
	afterAll(async () => {
		pool.destroyAll();
		await ctx?.close();
	});

	const file = async (): Promise<Upload> =>
		(await upload(alice, group.id, new TextEncoder().encode(`file ${++n} ${Math.random()}`), `f${n}.txt`)).data.upload;
	/** Sends a media envelope naming `u` from a fresh client; 'accepted' once stored, else the refusal's rule. */
	async function send(u: Upload): Promise<string> {
		const client = pool.open(alice, group.docName);
		await client.synced();
		const id = `m${++n}x${Date.now()}`;
		client.doc.getArray('messages').push([
			{
				id,
				author: alice.id,
				createdAt: Date.now(),
				text: '',
				kind: 'media',
				attachments: [{ id: u.id, url: u.url, mime: u.mime, size: u.size }]
			}
		]);
		const answer = await waitFor(
			async () => {
				if (client.denied.length > 0) return client.denied[0]!.split(':')[0]!;
				const rows = await ctx.server.db.query(`select 1 from messages where doc_name = $1 and id = $2`, [group.docName, id]);
				return rows.length > 0 ? 'accepted' : undefined;
			},
			{ what: `the answer to an envelope naming ${u.id}` }
		);
		return answer!;
	}

	it('keeps the newest ids when the document loads, and evicts the oldest as uploads arrive', async () => {
		// Three uploads before anyone opens the document: it loads with the newest two.
		const [first, second, third] = [await file(), await file(), await file()];
		expect(await send(third!)).toBe('accepted');
		expect(await send(first!)).toBe('R27');
		// A fourth upload while the document is open pushes the second out.
		const fourth = await file();
		expect(await send(fourth)).toBe('accepted');
		expect(await send(second!)).toBe('R27');
		expect(ctx.server.parley.relay.rooms.peek(group.docName)!.uploadIds.size).toBe(KEPT);
	});
});
