/** R1–R9: how an update is read, whose client ids it uses, and where its items land. */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { craftUpdate } from './craft.js';
import { SERVER_CLIENT, TestRelay, both, env, expectAccepted, expectRefused, freshClientId, seededGroup } from './support.js';

describe('checkUpdate: reading the update', () => {
	it('[R1] refuses a whole update when one of its items breaks a rule, leaving the server unchanged', () => {
		const { relay, carol } = seededGroup();
		carol.doc.transact(() => {
			carol.t.messages.push([env('c2', 'carol')]);
			carol.t.reactions.set('a1:carol', ['👍']);
			carol.t.reactions.set('a1:alice', ['👎']); // not hers
		});
		expectRefused(relay, 'carol', both(carol), 'R17');
		expect(relay.index.has('c2')).toBe(false);
	});

	it('[R1] accepts an empty update and a resend of what the server already has', () => {
		const { relay, carol, dave } = seededGroup();
		expectAccepted(relay, 'carol', [carol.diff(), carol.full(), Y.encodeStateAsUpdate(new Y.Doc())]);
		expectAccepted(relay, 'dave', both(dave));
	});

	it('[R2] refuses bytes that are not a Yjs update', () => {
		const { relay } = seededGroup();
		expectRefused(relay, 'carol', [new Uint8Array([5, 200, 1]), new Uint8Array([1, 1, 7, 0, 200])], 'R2');
	});

	it('[R2] refuses an update listing the same client twice (Yjs would silently keep only the last run)', () => {
		const { relay } = seededGroup();
		const c = freshClientId();
		const update = craftUpdate([
			{ client: c, clock: 0, structs: [{ parent: 'messages', content: [env('x1', 'carol')] }] },
			{ client: c, clock: 1, structs: [{ origin: { client: c, clock: 0 }, content: [env('x2', 'carol')] }] }
		]);
		expectRefused(relay, 'carol', [update], 'R2');
	});

	it('[R2] refuses an empty run, which would replace an earlier run of the same client inside Yjs', () => {
		const { relay } = seededGroup();
		const c = freshClientId();
		const update = craftUpdate([
			{ client: c, clock: 0, structs: [{ parent: 'messages', content: [env('x1', 'carol')] }] },
			{ client: c, clock: 1, structs: [] }
		]);
		expectRefused(relay, 'carol', [update], 'R2');
	});

	it('[R2] refuses an empty struct', () => {
		const { relay } = seededGroup();
		const update = craftUpdate([{ client: freshClientId(), clock: 0, structs: [{ parent: 'messages', content: [] }] }]);
		expectRefused(relay, 'carol', [update], 'R2');
	});

	it('[R3] refuses an update with a gap (its structs start beyond the server state)', () => {
		const { relay, carol } = seededGroup();
		const updates: Uint8Array[] = [];
		carol.doc.on('update', (u: Uint8Array) => updates.push(u));
		carol.t.messages.push([env('c2', 'carol')]);
		carol.t.messages.push([env('c3', 'carol')]);
		expect(updates).toHaveLength(2);
		expectRefused(relay, 'carol', [updates[1] as Uint8Array], 'R3');
		expectAccepted(relay, 'carol', [updates[0] as Uint8Array]);
	});

	it('[R3] refuses a Skip struct (a merged update with a hole)', () => {
		const { relay, carol } = seededGroup();
		const updates: Uint8Array[] = [];
		carol.doc.on('update', (u: Uint8Array) => updates.push(u));
		for (const id of ['c2', 'c3', 'c4']) carol.t.messages.push([env(id, 'carol')]);
		const holed = Y.mergeUpdates([updates[0] as Uint8Array, updates[2] as Uint8Array]);
		expect(Y.decodeUpdate(holed).structs.some((s) => s instanceof Y.Skip)).toBe(true);
		expectRefused(relay, 'carol', [holed], 'R3');
	});

	it('[R4] refuses a GC struct over clocks the server lacks, accepts one over clocks it has', () => {
		const { relay, carol } = seededGroup();
		const mine = [...relay.bindings].find(([, u]) => u === 'carol')?.[0] ?? -1;
		const state = Y.getState(relay.doc.store, mine);
		expectRefused(relay, 'carol', [craftUpdate([{ client: mine, clock: state, structs: [{ gc: 2 }] }])], 'R4');
		expectAccepted(relay, 'carol', [craftUpdate([{ client: mine, clock: 0, structs: [{ gc: state }] }])]);
		carol.pull();
	});
});

describe('checkUpdate: client ids', () => {
	it('[R5] binds a fresh client id to the sender', () => {
		const { relay, carol } = seededGroup();
		const second = relay.client('carol');
		second.t.messages.push([env('c2', 'carol')]);
		const result = expectAccepted(relay, 'carol', both(second));
		expect(result.newBindings).toEqual([second.doc.clientID]);
		carol.t.reactions.set('a1:carol', ['🙂']);
		expect(expectAccepted(relay, 'carol', both(carol)).newBindings).toEqual([]);
	});

	it("[R5] refuses another user's client id, reused to write as oneself", () => {
		const { relay, alice } = seededGroup();
		const aliceId = alice.doc.clientID;
		const mallory = relay.client('carol');
		mallory.doc.clientID = aliceId; // continues Alice's clock
		mallory.t.messages.push([env('c9', 'carol')]);
		expectRefused(relay, 'carol', both(mallory), 'R5');
	});

	it("[R5] refuses the server's client id", () => {
		const { relay } = seededGroup();
		relay.serverWrite((d) => d.getMap('meta').set('title', 'Team'));
		const mallory = relay.client('alice');
		mallory.doc.clientID = SERVER_CLIENT;
		mallory.t.messages.push([env('a9', 'alice')]);
		expectRefused(relay, 'alice', both(mallory), 'R5');
	});

	it('[R5] refuses an unbound client id that already has items (its writer cannot be told)', () => {
		const { relay, carol } = seededGroup();
		relay.bindings.delete(carol.doc.clientID);
		carol.t.messages.push([env('c2', 'carol')]);
		expectRefused(relay, 'carol', both(carol), 'R5');
	});
});

describe('checkUpdate: content and placement', () => {
	it('[R6] refuses a nested Y.Map pushed into messages', () => {
		const { relay, carol } = seededGroup();
		const m = new Y.Map<string>();
		m.set('id', 'c2');
		carol.t.messages.push([m as never]);
		expectRefused(relay, 'carol', both(carol), 'R6');
	});

	it('[R6] refuses a nested Y.Text set as a map value, and Y.Text at the root', () => {
		const { relay, carol } = seededGroup();
		carol.doc.getMap('edits').set('c1', new Y.Text('sneaky'));
		expectRefused(relay, 'carol', both(carol), 'R6');
		const other = relay.client('carol');
		other.doc.getText('messages').insert(0, 'text');
		expectRefused(relay, 'carol', both(other), 'R6');
	});

	it('[R6] refuses binary, sub-document, JSON and format content', () => {
		const { relay } = seededGroup();
		const bin = relay.client('carol');
		bin.doc.getArray('messages').push([new Uint8Array([1, 2])]);
		expectRefused(relay, 'carol', both(bin), 'R6');
		const sub = relay.client('carol');
		sub.doc.getArray('messages').push([new Y.Doc()]);
		expectRefused(relay, 'carol', both(sub), 'R6');
		const fresh = freshClientId();
		// ContentJSON (ref 2): count, then JSON strings; ContentFormat (ref 6): key, then JSON value
		const jsonContent = {
			ref: 2,
			write: (e: encoding.Encoder) => (encoding.writeVarUint(e, 1), encoding.writeVarString(e, JSON.stringify(env('j', 'carol'))))
		};
		const formatContent = {
			ref: 6,
			write: (e: encoding.Encoder) => (encoding.writeVarString(e, 'bold'), encoding.writeVarString(e, 'true'))
		};
		expectRefused(
			relay,
			'carol',
			[craftUpdate([{ client: fresh, clock: 0, structs: [{ parent: 'messages', content: jsonContent }] }])],
			'R6'
		);
		expectRefused(
			relay,
			'carol',
			[craftUpdate([{ client: fresh, clock: 0, structs: [{ parent: 'messages', content: formatContent }] }])],
			'R6'
		);
	});

	it('[R7] resolves an origin-only item (no parent on the wire) to the map key it overwrites', () => {
		const { relay, alice, carol } = seededGroup();
		alice.t.reactions.set('a1:alice', ['👍']);
		alice.send();
		carol.pull();
		carol.t.reactions.set('a1:alice', ['👎']);
		const item = Y.decodeUpdate(carol.diff()).structs[0] as Y.Item;
		expect(item.parentSub).toBeNull();
		expect(item.parent).toBeNull();
		expect(item.origin?.client).toBe(alice.doc.clientID);
		expectRefused(relay, 'carol', both(carol), 'R17');
	});

	it('[R7] refuses references to items neither the server nor the update has', () => {
		const { relay } = seededGroup();
		const update = craftUpdate([
			{ client: freshClientId(), clock: 0, structs: [{ origin: { client: 4242, clock: 7 }, content: [env('x', 'carol')] }] }
		]);
		expectRefused(relay, 'carol', [update], 'R7');
	});

	it('[R7] refuses a forward reference within one client and a reference cycle across clients', () => {
		const { relay } = seededGroup();
		const c = freshClientId();
		const d = freshClientId();
		const forward = craftUpdate([
			{
				client: c,
				clock: 0,
				structs: [
					{ origin: { client: c, clock: 1 }, content: [env('x1', 'carol')] },
					{ parent: 'messages', content: [env('x2', 'carol')] }
				]
			}
		]);
		expectRefused(relay, 'carol', [forward], 'R7');
		const cycle = craftUpdate([
			{ client: d, clock: 0, structs: [{ origin: { client: c, clock: 0 }, content: [env('y1', 'carol')] }] },
			{ client: c, clock: 0, structs: [{ origin: { client: d, clock: 0 }, content: [env('y2', 'carol')] }] }
		]);
		expectRefused(relay, 'carol', [cycle], 'R7');
	});

	it('[R7] accepts an item whose origin is a later-listed client of the same update', () => {
		const relay = new TestRelay('group', { carol: 'member' });
		const c = freshClientId();
		const d = freshClientId();
		const update = craftUpdate([
			{ client: d, clock: 0, structs: [{ origin: { client: c, clock: 0 }, content: [env('y1', 'carol')] }] },
			{ client: c, clock: 0, structs: [{ parent: 'messages', content: [env('y2', 'carol')] }] }
		]);
		const result = expectAccepted(relay, 'carol', [update]);
		expect(result.changes.added.map((e) => e.id)).toEqual(['y1', 'y2']);
		expect(result.newBindings.sort()).toEqual([c, d].sort());
	});

	it('[R7] refuses an item whose origin and rightOrigin lie in different types', () => {
		const { relay, alice } = seededGroup();
		alice.t.pins.set('a1', { by: 'alice', at: 1 });
		alice.send();
		const a1 = Y.decodeUpdate(Y.encodeStateAsUpdate(relay.doc)).structs.find((s) => s instanceof Y.Item && s.parentSub === 'a1');
		const lastMsg = { client: alice.doc.clientID, clock: 0 };
		const update = craftUpdate([
			{ client: freshClientId(), clock: 0, structs: [{ origin: lastMsg, rightOrigin: a1?.id, content: [env('z', 'bob')] }] }
		]);
		expectRefused(relay, 'bob', [update], 'R7');
	});

	it('[R7] refuses an item whose parent is a nested type id', () => {
		const { relay, carol } = seededGroup();
		const update = craftUpdate([
			{ client: freshClientId(), clock: 0, structs: [{ parent: { client: carol.doc.clientID, clock: 0 }, content: [env('z', 'carol')] }] }
		]);
		expectRefused(relay, 'carol', [update], 'R7');
	});

	it('[R7] refuses an overlapping struct whose known head the server holds elsewhere', () => {
		const { relay, carol } = seededGroup();
		const me = carol.doc.clientID;
		// the server has carol's clock 0 in messages; this struct claims clocks 0..1 belong to reads
		const update = craftUpdate([
			{
				client: me,
				clock: 0,
				structs: [
					{
						parent: 'reads',
						parentSub: 'carol',
						content: [
							{ messageId: 'a1', at: 1 },
							{ messageId: 'a1', at: 2 }
						]
					}
				]
			}
		]);
		expectRefused(relay, 'carol', [update], 'R7');
	});

	it('[R7] refuses a copy of a known item whose forged neighbour the server lacks (Yjs would park it as pending)', () => {
		const { relay, alice } = seededGroup();
		const forged = craftUpdate([
			{ client: alice.doc.clientID, clock: 0, structs: [{ origin: { client: 777777, clock: 3 }, content: [env('a1', 'alice')] }] }
		]);
		const scratch = new Y.Doc();
		Y.applyUpdate(scratch, Y.encodeStateAsUpdate(relay.doc));
		Y.applyUpdate(scratch, forged);
		expect(scratch.store.pendingStructs).not.toBeNull();
		expectRefused(relay, 'carol', [forged], 'R7');
	});

	it('[R7] ignores a different value under clocks the server already has (Yjs ignores it too)', () => {
		const { relay, alice } = seededGroup();
		// Alice's id and clock 0, which the server already has, with other content
		const copy = craftUpdate([{ client: alice.doc.clientID, clock: 0, structs: [{ parent: 'messages', content: [env('a1', 'carol')] }] }]);
		const before = Y.encodeStateAsUpdate(relay.doc);
		expect(expectAccepted(relay, 'carol', [copy]).changes.added).toEqual([]);
		relay.submit('carol', copy);
		expect(Y.encodeStateAsUpdate(relay.doc)).toEqual(before);
	});

	it('[R7] places an item with only a rightOrigin where that neighbour is (an insert at the top is allowed)', () => {
		const { relay, carol } = seededGroup();
		carol.t.messages.insert(0, [env('c0', 'carol')]);
		const item = Y.decodeUpdate(carol.diff()).structs[0] as Y.Item;
		expect([item.origin, item.rightOrigin === null]).toEqual([null, false]);
		expect(expectAccepted(relay, 'carol', both(carol)).changes.added.map((e) => e.id)).toEqual(['c0']);
	});

	it('[R8] refuses a copy of a known item naming an unknown root type (Yjs would create it)', () => {
		const { relay, alice } = seededGroup();
		const copy = craftUpdate([{ client: alice.doc.clientID, clock: 0, structs: [{ parent: 'junk-root', content: [env('a1', 'alice')] }] }]);
		expectRefused(relay, 'alice', [copy], 'R8');
	});

	it('[R8] refuses an unknown root type and the server-only meta map', () => {
		const { relay, carol } = seededGroup();
		carol.doc.getMap('settings').set('theme', 'dark');
		expectRefused(relay, 'carol', both(carol), 'R8');
		const admin = relay.client('alice');
		admin.doc.getMap('meta').set('title', 'Mine now');
		expectRefused(relay, 'alice', both(admin), 'R8');
	});

	it('[R8] refuses every client write to an inbox, accepts a resend of its state', () => {
		const relay = new TestRelay('inbox', { alice: 'owner' });
		relay.serverWrite((d) => d.getMap('conversations').set('conv1', { docName: 'conv1', unread: 1 }));
		const alice = relay.client('alice');
		expectAccepted(relay, 'alice', both(alice));
		alice.doc.getMap('conversations').set('conv1', { docName: 'conv1', unread: 0 });
		expectRefused(relay, 'alice', both(alice), 'R8');
		const deleter = relay.client('alice');
		deleter.doc.getMap('conversations').delete('conv1');
		expectRefused(relay, 'alice', both(deleter), 'R23');
	});

	it('[R9] refuses an unkeyed item in a map and a keyed item in messages', () => {
		const { relay } = seededGroup();
		const listInMap = relay.client('carol');
		listInMap.doc.getArray('edits').push([{ text: 'x', editedAt: 1 }]);
		expectRefused(relay, 'carol', both(listInMap), 'R9');
		const keyInArray = craftUpdate([
			{ client: freshClientId(), clock: 0, structs: [{ parent: 'messages', parentSub: 'k', content: [env('k1', 'carol')] }] }
		]);
		expectRefused(relay, 'carol', [keyInArray], 'R9');
	});
});
