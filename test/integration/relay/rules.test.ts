// Every rule of docs/sync-rules.md (R1–R23, A1–A6) against the live relay: a client breaks it, gets a
// permission-denied citing it, and nothing of the attempt reaches another member, the relay's
// copy or the stored copy; the honest clients go on. Stock y-websocket clients wherever the
// Yjs API can produce the violation, raw frames where it cannot (gaps, GC, malformed bytes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import type { RuleId } from '$lib/sync/check-update';
import { testDatabaseKind } from '../../helpers/database.js';
import { awarenessFrame, updateFrame } from '../../helpers/raw-sync.js';
import { waitFor, type SyncClient } from '../../helpers/sync.js';
import type { TestUser } from '../../helpers/users.js';
import { craftUpdate } from '../../unit/sync/craft.js';
import { RuleStage, envelope, hasMessage, type Scene } from './rule-scenes.js';

const stage = new RuleStage();
let nextClientId = 3_000_000;
/** A Yjs client id no one has used. */
const freshId = () => nextClientId++;

/** A stock-client violation: `user` connects to `scene()`, writes, and is refused by `cites`. */
interface StockCase {
	rule: RuleId;
	title: string;
	scene: () => Scene;
	user: () => TestUser;
	/** Writes the violation into the client's synced doc (the provider sends it). */
	write(client: SyncClient): unknown;
	/** The rule the denial names (R1 and R20 are proven through the rule that refuses). */
	cites?: RuleId;
	/** Whether the attempt shows in a copy of the document. */
	forged(doc: Y.Doc): boolean;
}

const { alice, bob, carol } = {
	alice: () => stage.alice,
	bob: () => stage.bob,
	carol: () => stage.carol
};
const group = () => stage.group;
const channel = () => stage.channel;
const messages = (c: SyncClient) => c.doc.getArray<Record<string, unknown>>('messages');
const nestedIn = (doc: Y.Doc, root: string) =>
	[...(doc.share.get(root)?._map.values() ?? [])].some((item) => !item.deleted && item.content.getContent()[0] instanceof Y.AbstractType);
/** Writes offline, then reconnects: the write travels in sync step 2, as after a night offline. */
async function offline(client: SyncClient, write: () => void) {
	client.provider.disconnect();
	write();
	client.provider.connect();
}

/** Writes under another Yjs client id (then takes its own back: the provider's awareness uses it). */
function asClient(client: SyncClient, clientId: number, write: () => void) {
	const own = client.doc.clientID;
	client.doc.clientID = clientId;
	write();
	client.doc.clientID = own;
}

const stockCases: StockCase[] = [
	{
		rule: 'R1',
		title: 'refuses a whole update when one part breaks a rule: the valid message in it never arrives',
		scene: group,
		user: carol,
		write: (c) =>
			c.doc.transact(() => {
				messages(c).push([envelope('r1-valid', carol().id)]);
				c.doc.getMap('reactions').set(`a1:${alice().id}`, ['👎']);
			}),
		cites: 'R17',
		forged: (doc) => hasMessage(doc, 'r1-valid') || String(doc.getMap('reactions').get(`a1:${stage.alice.id}`)) === '👎'
	},
	{
		rule: 'R3',
		title: 'refuses every later write of a refused client id (its clocks now have a gap)',
		scene: group,
		user: carol,
		async write(c) {
			messages(c).push([envelope('r3-forged', alice().id)]);
			await waitFor(() => c.denied.length === 1, { what: 'the first refusal' });
			messages(c).push([envelope('r3-valid', carol().id)]);
			await waitFor(() => c.denied.length === 2, { what: 'the second refusal' });
		},
		forged: (doc) => hasMessage(doc, 'r3-valid') || hasMessage(doc, 'r3-forged')
	},
	{
		rule: 'R5',
		title: "refuses a write under another user's Yjs client id",
		scene: group,
		user: carol,
		write: (c) => asClient(c, group().watcher.doc.clientID, () => messages(c).push([envelope('r5', carol().id)])), // Alice's id
		forged: (doc) => hasMessage(doc, 'r5')
	},
	{
		rule: 'R5',
		title: "refuses a write under the server's own client id, even from the owner",
		scene: group,
		user: alice,
		write: (c) => asClient(c, stage.live(group().docName).clientID, () => c.doc.getMap('meta').set('title', 'taken over')),
		forged: (doc) => doc.getMap('meta').get('title') !== 'Rules'
	},
	{
		rule: 'R6',
		title: 'refuses a nested Y.Map pushed into messages',
		scene: group,
		user: carol,
		write: (c) => messages(c).push([new Y.Map() as never]),
		forged: (doc) =>
			doc
				.getArray('messages')
				.toArray()
				.some((v) => v instanceof Y.AbstractType)
	},
	{
		rule: 'R6',
		title: 'refuses a Y.Text set as an edit',
		scene: group,
		user: carol,
		write: (c) => c.doc.getMap('edits').set('c1', new Y.Text('rich') as never),
		forged: (doc) => nestedIn(doc, 'edits')
	},
	{
		rule: 'R8',
		title: 'refuses a root type the schema does not know',
		scene: group,
		user: carol,
		write: (c) => c.doc.getMap('settings').set('theme', 'dark'),
		forged: (doc) => doc.share.has('settings')
	},
	{
		rule: 'R8',
		title: "refuses the owner's write into the server-only meta map",
		scene: group,
		user: alice,
		write: (c) => c.doc.getMap('meta').set('title', 'hijacked'),
		forged: (doc) => doc.getMap('meta').get('title') !== 'Rules'
	},
	{
		rule: 'R8',
		title: "refuses the owner's own write into their inbox",
		scene: () => stage.inbox,
		user: carol,
		write: (c) => c.doc.getMap('conversations').set('forged', { docName: 'forged', unread: 0 }),
		forged: (doc) => doc.getMap('conversations').has('forged')
	},
	{
		rule: 'R9',
		title: 'refuses an unkeyed item in a map (pins used as an array)',
		scene: group,
		user: carol,
		write: (c) => c.doc.getArray('pins').push([{ by: carol().id, at: 1 }]),
		forged: (doc) => doc.getMap('pins')._start !== null
	},
	{
		rule: 'R10',
		title: 'refuses an envelope with a field the schema does not know',
		scene: group,
		user: carol,
		write: (c) => messages(c).push([envelope('r10', carol().id, { html: '<img src=x onerror=alert(1)>' })]),
		forged: (doc) => hasMessage(doc, 'r10')
	},
	{
		rule: 'R11',
		title: 'refuses an envelope whose author is not the sender',
		scene: group,
		user: carol,
		write: (c) => messages(c).push([envelope('r11', alice().id)]),
		forged: (doc) => hasMessage(doc, 'r11')
	},
	{
		rule: 'R12',
		title: 'refuses a system message from a client, even the owner',
		scene: group,
		user: alice,
		write: (c) => messages(c).push([envelope('r12', alice().id, { kind: 'system', text: 'bob left' })]),
		forged: (doc) => hasMessage(doc, 'r12')
	},
	{
		rule: 'R13',
		title: 'refuses a message id already taken',
		scene: group,
		user: carol,
		write: (c) => messages(c).push([envelope('a1', carol().id)]),
		forged: (doc) => hasMessage(doc, 'a1', stage.carol.id)
	},
	{
		rule: 'R13',
		title: 'refuses the id of a deleted message',
		scene: group,
		user: carol,
		write: (c) => messages(c).push([envelope('a-del', carol().id)]),
		forged: (doc) => hasMessage(doc, 'a-del')
	},
	{
		rule: 'R14',
		title: 'refuses a post by a channel subscriber',
		scene: channel,
		user: carol,
		write: (c) => messages(c).push([envelope('r14', carol().id)]),
		forged: (doc) => hasMessage(doc, 'r14')
	},
	{
		rule: 'R15',
		title: 'refuses a reaction by a channel subscriber',
		scene: channel,
		user: carol,
		write: (c) => c.doc.getMap('reactions').set(`ch1:${carol().id}`, ['🎉']),
		forged: (doc) => doc.getMap('reactions').has(`ch1:${stage.carol.id}`)
	},
	{
		rule: 'R16',
		title: "refuses an edit of another author's message (overwriting their edit)",
		scene: group,
		user: carol,
		write: (c) => c.doc.getMap('edits').set('a1', { text: 'alice never said this', editedAt: 9 }),
		forged: (doc) => (doc.getMap('edits').get('a1') as { text?: string } | undefined)?.text !== 'a1, edited'
	},
	{
		rule: 'R17',
		title: "refuses a reaction under another user's key",
		scene: () => stage.direct,
		user: bob,
		write: (c) => c.doc.getMap('reactions').set(`d1:${alice().id}`, ['💩']),
		forged: (doc) => String(doc.getMap('reactions').get(`d1:${stage.alice.id}`)) !== '🙂'
	},
	{
		rule: 'R18',
		title: "refuses moving another user's read position",
		scene: group,
		user: carol,
		write: (c) => c.doc.getMap('reads').set(alice().id, { messageId: 'c1', at: 5 }),
		forged: (doc) => (doc.getMap('reads').get(stage.alice.id) as { messageId?: string } | undefined)?.messageId !== 'a1'
	},
	{
		rule: 'R19',
		title: 'refuses a pin by a group member',
		scene: group,
		user: carol,
		write: (c) => c.doc.getMap('pins').set('c1', { by: carol().id, at: 4 }),
		forged: (doc) => doc.getMap('pins').has('c1')
	},
	{
		rule: 'R20',
		title: "refuses an item that arrives already deleted on another user's key (it would still remove their value)",
		scene: group,
		user: carol,
		write: (c) =>
			offline(c, () => {
				c.doc.getMap('reactions').set(`a1:${alice().id}`, ['x']);
				c.doc.getMap('reactions').delete(`a1:${alice().id}`);
			}),
		cites: 'R17',
		forged: (doc) => String(doc.getMap('reactions').get(`a1:${stage.alice.id}`)) !== '👍'
	},
	{
		rule: 'R23',
		title: "refuses a member deleting another user's message",
		scene: group,
		user: carol,
		write: (c) =>
			messages(c).delete(
				messages(c)
					.toArray()
					.findIndex((m) => m.id === 'a1'),
				1
			),
		forged: (doc) => !hasMessage(doc, 'a1')
	},
	{
		rule: 'R23',
		title: 'refuses the owner deleting a server-written value',
		scene: group,
		user: alice,
		write: (c) => c.doc.getMap('meta').delete('title'),
		forged: (doc) => doc.getMap('meta').get('title') !== 'Rules'
	},
	{
		rule: 'R23',
		title: 'refuses the owner deleting an entry of their inbox',
		scene: () => stage.inbox,
		user: carol,
		write: (c) => c.doc.getMap('conversations').delete('seed'),
		forged: (doc) => !doc.getMap('conversations').has('seed')
	}
];

/** A raw-frame violation: `update()` is sent in an update frame by a member of the group over a plain socket. */
interface RawCase {
	rule: RuleId;
	title: string;
	update(): Uint8Array;
	forged(doc: Y.Doc): boolean;
}

const carolPost = (id: string, client = freshId()) => ({
	client,
	clock: 0,
	structs: [{ parent: 'messages', content: [envelope(id, stage.carol.id)] }]
});
const rawCases: RawCase[] = [
	{ rule: 'R2', title: 'refuses bytes that are not a Yjs update', update: () => new Uint8Array([5, 200, 1, 7]), forged: () => false },
	{
		rule: 'R2',
		title: 'refuses an update listing one client twice (Yjs would keep only the last run)',
		update() {
			const c = 4_000_002;
			return craftUpdate([
				carolPost('r2-twice-a', c),
				{
					...carolPost('r2-twice-b', c),
					clock: 1,
					structs: [{ origin: { client: c, clock: 0 }, content: [envelope('r2-twice-b', stage.carol.id)] }]
				}
			]);
		},
		// Yjs would keep the second run only, parked as pending (its origin is in the dropped first run)
		forged: (doc) => hasMessage(doc, 'r2-twice-a') || hasMessage(doc, 'r2-twice-b') || doc.store.pendingStructs !== null
	},
	{
		rule: 'R3',
		title: 'refuses a Skip struct (a merged update with a hole)',
		update() {
			const doc = new Y.Doc();
			const updates: Uint8Array[] = [];
			doc.on('update', (u: Uint8Array) => updates.push(u));
			for (const id of ['r3-skip-1', 'r3-skip-2', 'r3-skip-3']) doc.getArray('messages').push([envelope(id, stage.carol.id)]);
			return Y.mergeUpdates([updates[0]!, updates[2]!]);
		},
		forged: (doc) => hasMessage(doc, 'r3-skip-1') || hasMessage(doc, 'r3-skip-3')
	},
	{
		rule: 'R4',
		title: 'refuses a GC struct over clocks the server does not have',
		update: () => craftUpdate([{ client: 4_000_004, clock: 0, structs: [{ gc: 3 }] }]),
		forged: (doc) => Y.getState(doc.store, 4_000_004) > 0
	},
	{
		rule: 'R6',
		title: 'refuses JSON content (ContentJSON) in messages',
		update: () =>
			craftUpdate([
				{
					client: 4_000_006,
					clock: 0,
					structs: [
						{
							parent: 'messages',
							content: {
								ref: 2,
								write: (e: encoding.Encoder) => (
									encoding.writeVarUint(e, 1),
									encoding.writeVarString(e, JSON.stringify(envelope('r6-json', stage.carol.id)))
								)
							}
						}
					]
				}
			]),
		forged: (doc) => Y.getState(doc.store, 4_000_006) > 0
	},
	{
		rule: 'R7',
		title: 'refuses a reference to an item nobody has (Yjs would park it as pending)',
		update: () =>
			craftUpdate([
				{ client: 4_000_007, clock: 0, structs: [{ origin: { client: 4242, clock: 7 }, content: [envelope('r7', stage.carol.id)] }] }
			]),
		forged: (doc) => Y.getState(doc.store, 4_000_007) > 0 || doc.store.pendingStructs !== null
	},
	{
		rule: 'R9',
		title: 'refuses a keyed item in messages',
		update: () =>
			craftUpdate([
				{ client: 4_000_009, clock: 0, structs: [{ parent: 'messages', parentSub: 'k', content: [envelope('r9-key', stage.carol.id)] }] }
			]),
		forged: (doc) => Y.getState(doc.store, 4_000_009) > 0
	}
];

/** Entries of an awareness update: (client id, clock, JSON). */
function awarenessEntries(entries: [number, number, string][], trailing: number[] = []): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, entries.length);
	for (const [id, clock, json] of entries) {
		encoding.writeVarUint(e, id);
		encoding.writeVarUint(e, clock);
		encoding.writeVarString(e, json);
	}
	for (const byte of trailing) encoding.writeUint8(e, byte);
	return encoding.toUint8Array(e);
}

describe(`relay rules against live clients (${testDatabaseKind()})`, () => {
	beforeAll(() => stage.start());
	afterAll(() => stage.stop());

	for (const c of stockCases) {
		it(`[${c.rule}] ${c.title}`, async () => {
			const scene = c.scene();
			// a fresh client per violation: a refused client id is stuck for good
			const violator = stage.connect(c.user(), scene.docName);
			await violator.synced();
			await c.write(violator);
			await waitFor(() => violator.denied.length > 0, { what: `a ${c.cites ?? c.rule} refusal` });
			expect(violator.denied.at(-1)).toMatch(new RegExp(`^${c.cites ?? c.rule}: `));
			// the check has teeth: had the relay taken the violator's state, `forged` would see it
			const leaked = new Y.Doc();
			Y.applyUpdate(leaked, Y.encodeStateAsUpdate(stage.live(scene.docName)));
			Y.applyUpdate(leaked, Y.encodeStateAsUpdate(violator.doc));
			expect(c.forged(leaked), 'forged() would notice a leak').toBe(true);
			await stage.expectUnseen(scene, c.forged);
			violator.destroy();
		});
	}

	for (const c of rawCases) {
		it(`[${c.rule}] ${c.title} (raw frame)`, async () => {
			const raw = await stage.raw(stage.carol, stage.group.docName);
			const update = c.update();
			raw.send(updateFrame(update));
			await waitFor(() => raw.denied.length > 0 || raw.closed, { what: `a ${c.rule} refusal` });
			expect(raw.closed).toBeNull();
			expect(raw.denied[0]).toMatch(new RegExp(`^${c.rule}: `));
			// the check has teeth: applied as Yjs would (where Yjs can), `forged` sees it
			const leaked = new Y.Doc();
			Y.applyUpdate(leaked, Y.encodeStateAsUpdate(stage.live(stage.group.docName)));
			let applies = true;
			try {
				Y.applyUpdate(leaked, update);
			} catch {
				applies = false;
			}
			expect(c.forged(leaked), 'forged() would notice a leak').toBe(applies);
			await stage.expectUnseen(stage.group, c.forged);
			raw.destroy();
		});
	}

	it('[R20] accepts an own message sent, edited and deleted offline; the client goes on writing', async () => {
		const c = stage.connect(stage.carol, stage.group.docName);
		await c.synced();
		await offline(c, () => {
			messages(c).push([envelope('r20-own', stage.carol.id)]);
			c.doc.getMap('edits').set('r20-own', { text: 'typo fixed', editedAt: 2 });
			c.doc.transact(() => {
				messages(c).delete(messages(c).length - 1, 1);
				c.doc.getMap('edits').delete('r20-own');
			});
		});
		await c.synced();
		messages(c).push([envelope('r20-after', stage.carol.id)]);
		await waitFor(() => hasMessage(stage.group.watcher.doc, 'r20-after'), { what: 'the write after it' });
		expect(c.denied).toEqual([]);
		expect(hasMessage(stage.group.watcher.doc, 'r20-own')).toBe(false);
		c.destroy();
	});

	it("[R21] accepts a reconnecting client's whole delete set, others' deletions included", async () => {
		const c = stage.connect(stage.carol, stage.group.docName);
		await c.synced();
		// it holds Alice's deletion of a-del; reconnecting sends it back in sync step 2
		expect(Y.decodeUpdate(Y.encodeStateAsUpdate(c.doc)).ds.clients.has(stage.group.watcher.doc.clientID)).toBe(true);
		c.provider.disconnect();
		c.provider.connect();
		await c.synced();
		messages(c).push([envelope('r21-after', stage.carol.id)]);
		await waitFor(() => hasMessage(stage.group.watcher.doc, 'r21-after'), { what: 'the write after the resend' });
		expect(c.denied).toEqual([]);
		c.destroy();
	});

	it("[R22] refuses a delete of Alice's next message sent in advance; her next message stays", async () => {
		const raw = await stage.raw(stage.carol, stage.group.docName);
		const aliceDoc = stage.group.watcher.doc;
		const next = Y.getState(aliceDoc.store, aliceDoc.clientID);
		raw.send(updateFrame(craftUpdate([], [[aliceDoc.clientID, [[next, 1]]]])));
		await waitFor(() => raw.denied.length > 0, { what: 'an R22 refusal' });
		expect(raw.denied[0]).toMatch(/^R22: /);
		aliceDoc.getArray('messages').push([envelope('r22-next', stage.alice.id)]);
		await stage.expectUnseen(stage.group, (doc) => !hasMessage(doc, 'r22-next'));
		await waitFor(() => hasMessage(stage.honest[1]!.doc, 'r22-next'), { what: 'bob sees it' });
	});

	describe('awareness', () => {
		const bobPresence = () => stage.honest[1]!.provider.awareness.clientID;
		const seen = (clientId: number) => stage.groupAwareness.filter((e) => e.clientId === clientId).map((e) => e.state);

		it("[A1] drops entries for another connection's client id: no impersonation, no removal", async () => {
			const raw = await stage.raw(stage.carol, stage.group.docName);
			const before = seen(bobPresence()).length;
			raw.send(awarenessFrame(awarenessEntries([[bobPresence(), 1_000, JSON.stringify({ user: { id: stage.carol.id, name: 'Bob' } })]])));
			raw.send(awarenessFrame(awarenessEntries([[bobPresence(), 1_001, 'null']])));
			// frames of one socket are handled in order: once this post arrives, the two above were handled
			raw.send(updateFrame(craftUpdate([carolPost('a1-after')])));
			await waitFor(() => hasMessage(stage.group.watcher.doc, 'a1-after'), { what: 'the post after the forgeries' });
			expect(seen(bobPresence()).slice(before)).toEqual([]);
			expect(stage.group.watcher.provider.awareness.getStates().get(bobPresence())).toEqual({ user: { id: stage.bob.id, name: 'Bob' } });
			raw.destroy();
		});

		it('[A2] drops a state over the size limit', async () => {
			const c = stage.connect(stage.carol, stage.group.docName);
			await c.synced();
			c.provider.awareness.setLocalState({ user: { id: stage.carol.id }, blob: 'x'.repeat(8 * 1024) });
			messages(c).push([envelope('a2-after', stage.carol.id)]);
			await waitFor(() => hasMessage(stage.group.watcher.doc, 'a2-after'), { what: 'the post after the oversized state' });
			expect(seen(c.provider.awareness.clientID)).toEqual([]);
			c.destroy();
		});

		it('[A3] drops a state that speaks for another user; fills in the sender when none is named', async () => {
			const c = stage.connect(stage.carol, stage.group.docName);
			await c.synced();
			const id = c.provider.awareness.clientID;
			c.provider.awareness.setLocalState({ user: { id: stage.alice.id, name: 'Alice' } });
			c.provider.awareness.setLocalState({ user: { name: 'Carol' }, typing: true });
			await waitFor(() => seen(id).length > 0, { what: "carol's honest state" });
			expect(seen(id)).toEqual([{ user: { id: stage.carol.id, name: 'Carol' }, typing: true }]);
			c.destroy();
		});

		it('[A4] closes the connection (1007) on a malformed awareness frame; nobody sees any of it', async () => {
			const frames = [
				awarenessFrame(awarenessEntries([[777_001, 1, '{"user":{}}']], [0])), // trailing byte
				awarenessFrame(awarenessEntries([[777_002, 1, '{"user":{}}']]).subarray(0, 5)) // cut short
			];
			for (const frame of frames) {
				const raw = await stage.raw(stage.carol, stage.group.docName);
				raw.send(frame);
				expect((await raw.whenClosed).code).toBe(1007);
			}
			await stage.expectUnseen(stage.group, () => stage.groupAwareness.some((e) => e.clientId >= 777_000 && e.clientId < 778_000));
		});
	});

	it("[A5] passes a channel subscriber's awareness to nobody", async () => {
		const c = stage.connect(stage.carol, stage.channel.docName);
		await c.synced();
		const id = c.provider.awareness.clientID;
		const watcher = stage.channel.watcher.provider.awareness;
		let heard = false;
		const listen = ({ added, updated }: Record<string, number[]>) => (heard ||= [...added!, ...updated!].includes(id));
		watcher.on('change', listen);
		c.provider.awareness.setLocalState({ user: { name: 'Carol' }, typing: true });
		// her own read position is hers to write: once the watcher has it, the state before it was handled
		c.doc.getMap('reads').set(stage.carol.id, { messageId: 'ch1', at: 7 });
		await waitFor(() => stage.channel.watcher.doc.getMap('reads').has(stage.carol.id), { what: "carol's read position" });
		watcher.off('change', listen);
		expect(heard).toBe(false);
		expect(c.denied).toEqual([]);
		c.destroy();
	});

	it("[A6] drops entries for the server's presence ids in an inbox: no forged online state, no removal", async () => {
		const watcher = stage.inbox.watcher.provider.awareness;
		const presenceOf = (userId: string) =>
			[...watcher.getStates()].find(([, s]) => (s as { presence?: { userId?: string } }).presence?.userId === userId);
		const [serverId, state] = (await waitFor(() => presenceOf(stage.alice.id), { what: "alice's presence in carol's inbox" }))!;
		const changes: unknown[] = [];
		const listen = ({ updated, removed }: Record<string, number[]>) =>
			[...updated!, ...removed!].includes(serverId) && changes.push(watcher.getStates().get(serverId));
		watcher.on('change', listen);
		const raw = await stage.raw(stage.carol, stage.inbox.docName);
		raw.send(
			awarenessFrame(
				awarenessEntries([[serverId, 1_000, JSON.stringify({ presence: { userId: stage.alice.id, online: false, lastSeen: 1 } })]])
			)
		);
		raw.send(awarenessFrame(awarenessEntries([[serverId, 1_001, 'null']])));
		await raw.roundTrip();
		await stage.expectUnseen(stage.inbox, () => changes.length > 0);
		watcher.off('change', listen);
		expect(watcher.getStates().get(serverId)).toEqual(state);
		raw.destroy();
	});

	it('the honest clients were never refused and still sync both ways', async () => {
		for (const scene of [stage.group, stage.channel, stage.direct, stage.inbox]) await scene.mark();
		const reply = envelope('last-word', stage.alice.id);
		stage.group.watcher.doc.getArray('messages').push([reply]);
		await waitFor(() => hasMessage(stage.honest[1]!.doc, 'last-word'), { what: 'bob sees alice' });
		for (const client of stage.honest) expect(client.denied).toEqual([]);
	});
});
