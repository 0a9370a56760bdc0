/** R21–R23: what a delete set may delete. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteMessage, unpinMessage } from '../../../src/lib/sync/doc-ops.js';
import { craftUpdate } from './craft.js';
import { both, env, expectAccepted, expectRefused, freshClientId, seededGroup } from './support.js';

describe('checkUpdate: deletes', () => {
	it('[R21] accepts a stock client resending its whole delete set, others’ legitimate deletions included', () => {
		const { relay, alice, bob, carol } = seededGroup();
		carol.t.messages.push([env('c2', 'carol')]);
		carol.send();
		alice.pull();
		alice.t.messages.delete(0, 1); // the owner deletes her own a1
		alice.send();
		bob.pull();
		deleteMessage(bob.doc, 'bob', 'c2'); // an admin deletes carol's c2
		bob.send();
		const dave = relay.client('dave');
		dave.t.reads.set('dave', { messageId: 'b1', at: 1 });
		const ds = Y.decodeUpdate(dave.full()).ds;
		expect(ds.clients.size).toBeGreaterThanOrEqual(2); // carries alice's and carol's deletions
		const result = expectAccepted(relay, 'dave', both(dave));
		expect(result.changes.deleted).toEqual([]);
	});

	it('[R22] refuses a delete of items the server does not have yet (a pending delete of a next message)', () => {
		const { relay, alice } = seededGroup();
		const aliceId = alice.doc.clientID;
		const next = Y.getState(relay.doc.store, aliceId);
		expectRefused(relay, 'carol', [craftUpdate([], [[aliceId, [[next, 1]]]])], 'R22');
		expectRefused(relay, 'carol', [craftUpdate([], [[424242, [[0, 1]]]])], 'R22');
		// a range that starts inside known clocks and runs past them is refused too
		expectRefused(relay, 'alice', [craftUpdate([], [[aliceId, [[0, next + 1]]]])], 'R22');
	});

	it('[R22] accepts deleting items the same update adds', () => {
		const { relay } = seededGroup();
		const c = freshClientId();
		const update = craftUpdate(
			[{ client: c, clock: 0, structs: [{ parent: 'messages', content: [env('x1', 'carol'), env('x2', 'carol')] }] }],
			[[c, [[1, 1]]]]
		);
		const result = expectAccepted(relay, 'carol', [update]);
		expect(result.changes.added.map((e) => e.id)).toEqual(['x1', 'x2']);
		expect(result.changes.deleted).toEqual(['x2']);
	});

	it("[R23] refuses a member deleting another user's message", () => {
		const { relay, carol } = seededGroup();
		deleteMessage(carol.doc, 'carol', 'a1');
		expectRefused(relay, 'carol', both(carol), 'R23');
	});

	it('[R23] refuses a member deleting a system notice that names them as its actor', () => {
		const { relay } = seededGroup();
		relay.serverWrite((doc) =>
			doc.getArray('messages').push([{ ...env('s1', 'carol'), kind: 'system', system: { event: 'member_added', userId: 'carol' } }])
		);
		const carol = relay.client('carol');
		const messages = carol.doc.getArray<{ id: string }>('messages');
		messages.delete(
			messages.toArray().findIndex((m) => m.id === 's1'),
			1
		);
		expectRefused(relay, 'carol', both(carol), 'R23');
	});

	it("[R23] lets an admin delete anyone's message and a member their own", () => {
		const { relay, bob, carol } = seededGroup();
		deleteMessage(bob.doc, 'bob', 'c1');
		deleteMessage(bob.doc, 'bob', 'a1');
		const result = expectAccepted(relay, 'bob', both(bob));
		expect(result.changes.deleted.sort()).toEqual(['a1', 'c1']);
		deleteMessage(carol.doc, 'carol', 'c1');
		expect(expectAccepted(relay, 'carol', both(carol)).changes.deleted).toEqual(['c1']);
	});

	it('[R23] lets a member delete their own message written on another device', () => {
		const { relay } = seededGroup();
		const laptop = relay.client('carol');
		deleteMessage(laptop.doc, 'carol', 'c1');
		expect(expectAccepted(relay, 'carol', both(laptop)).changes.deleted).toEqual(['c1']);
	});

	it("[R23] refuses deleting another user's reaction, read or edit; accepts deleting one's own", () => {
		const { relay, alice } = seededGroup();
		type Member = ReturnType<typeof seededGroup>['carol'];
		alice.doc.transact(() => {
			alice.t.reactions.set('c1:alice', ['👍']);
			alice.t.reads.set('alice', { messageId: 'c1', at: 1 });
			alice.t.edits.set('a1', { text: 'v2', editedAt: 1 });
		});
		alice.send();
		for (const remove of [
			(c: Member) => c.t.reactions.delete('c1:alice'),
			(c: Member) => c.t.reads.delete('alice'),
			(c: Member) => c.t.edits.delete('a1')
		]) {
			const c = relay.client('carol');
			remove(c);
			expectRefused(relay, 'carol', both(c), 'R23');
		}
		alice.t.reactions.delete('c1:alice');
		expectAccepted(relay, 'alice', both(alice));
	});

	it('[R23] lets owner/admin unpin a pin made by another admin; refuses members', () => {
		const { relay, alice, bob, carol } = seededGroup();
		alice.t.pins.set('c1', { by: 'alice', at: 1 });
		alice.send();
		bob.pull();
		unpinMessage(bob.doc, 'c1');
		expectAccepted(relay, 'bob', both(bob));
		carol.pull();
		unpinMessage(carol.doc, 'c1');
		expectRefused(relay, 'carol', both(carol), 'R23');
	});

	it('[R23] refuses deleting server-written items, even for the owner', () => {
		const { relay } = seededGroup();
		relay.serverWrite((d) => d.getMap('meta').set('title', 'Team'));
		const owner = relay.client('alice');
		owner.doc.getMap('meta').delete('title');
		expectRefused(relay, 'alice', both(owner), 'R23');
	});

	it('[R23] lets the owner delete a server-written system message, refuses a member', () => {
		const { relay } = seededGroup();
		relay.serverWrite((d) => d.getArray('messages').push([env('s1', 'system', { kind: 'system', text: 'carol joined' })]));
		const member = relay.client('carol');
		deleteMessage(member.doc, 'carol', 's1');
		expectRefused(relay, 'carol', both(member), 'R23');
		const owner = relay.client('alice');
		deleteMessage(owner.doc, 'alice', 's1');
		expect(expectAccepted(relay, 'alice', both(owner)).changes.deleted).toEqual(['s1']);
	});

	it("[R23] refuses deleting one value out of another user's multi-value item", () => {
		const { relay, alice, carol } = seededGroup();
		alice.t.messages.push([env('a2', 'alice'), env('a3', 'alice')]);
		alice.send();
		carol.pull();
		deleteMessage(carol.doc, 'carol', 'a3');
		expectRefused(relay, 'carol', both(carol), 'R23');
	});
});
