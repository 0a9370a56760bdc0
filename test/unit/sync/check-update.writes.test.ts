/** R10–R20: who may write what into a conversation document. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '../../../src/lib/sync/check-update.js';
import { DocIndex } from '../../../src/lib/sync/doc-index.js';
import { SYNC_LIMITS } from '../../../src/lib/sync/schema.js';
import { TestRelay, both, env, expectAccepted, expectRefused, seededGroup } from './support.js';

describe('checkUpdate: envelopes', () => {
	it('[R10] accepts a well-formed envelope and reports it in changes', () => {
		const { relay, carol } = seededGroup();
		const e = env('c2', 'carol', {
			kind: 'media',
			replyTo: 'a1',
			attachments: [{ id: 'u1', url: '/api/uploads/u1', mime: 'image/png', size: 10, width: 4, height: 3 }]
		});
		carol.t.messages.push([e]);
		const result = expectAccepted(relay, 'carol', both(carol));
		expect(result.changes).toEqual({ added: [e], deleted: [], edits: [], reads: [], reactions: [] });
	});

	it('[R10] refuses malformed envelopes: missing field, unknown field, oversized text, remote attachment', () => {
		const { relay } = seededGroup();
		const bad: unknown[] = [
			{ id: 'c2', author: 'carol', text: 'no createdAt' },
			{ ...env('c2', 'carol'), html: '<b>x</b>' },
			env('c2', 'carol', { text: 'x'.repeat(SYNC_LIMITS.maxTextBytes + 1) }),
			env('c2', 'carol', { text: 'é'.repeat(SYNC_LIMITS.maxTextBytes / 2 + 1) }),
			env('c2', 'carol', { attachments: [{ id: 'u1', url: 'https://evil.example/pixel.gif', mime: 'image/gif', size: 1 }] }),
			env('c2', 'carol', { kind: 'sticker' }),
			'just a string',
			null
		];
		for (const value of bad) {
			const c = relay.client('carol');
			c.t.messages.push([value as never]);
			expectRefused(relay, 'carol', both(c), 'R10');
		}
	});

	it('[R10] refuses a multi-value push with one bad value, whole', () => {
		const { relay, carol } = seededGroup();
		carol.t.messages.push([env('c2', 'carol'), env('c3', 'carol'), { ...env('c4', 'carol'), text: 42 } as never]);
		const structs = Y.decodeUpdate(carol.diff()).structs;
		expect(structs).toHaveLength(1); // one item holding three values
		expectRefused(relay, 'carol', both(carol), 'R10');
	});

	it('[R10] checks only the new tail of a struct the server partly has', () => {
		const { relay, carol } = seededGroup();
		carol.t.messages.push([env('c2', 'carol')]);
		carol.send();
		carol.t.messages.push([env('c3', 'carol')]);
		// the full state may merge c2 and c3 into one item overlapping the server's clock
		const result = expectAccepted(relay, 'carol', both(carol));
		expect(result.changes.added.map((e) => e.id)).toEqual(['c3']);
	});

	it('[R11] refuses an envelope whose author is not the sender', () => {
		const { relay, carol } = seededGroup();
		carol.t.messages.push([env('c2', 'alice')]);
		expectRefused(relay, 'carol', both(carol), 'R11');
	});

	it('[R12] refuses a system message from a client, even from the owner', () => {
		const { relay, alice } = seededGroup();
		alice.t.messages.push([env('a2', 'alice', { kind: 'system' })]);
		expectRefused(relay, 'alice', both(alice), 'R12');
	});

	it('[R13] refuses a message id already taken, deleted, or repeated in the update', () => {
		const { relay, alice, carol } = seededGroup();
		carol.t.messages.push([env('a1', 'carol')]);
		expectRefused(relay, 'carol', both(carol), 'R13');
		const twice = relay.client('carol');
		twice.t.messages.push([env('c7', 'carol'), env('c7', 'carol')]);
		expectRefused(relay, 'carol', both(twice), 'R13');
		alice.t.messages.delete(0, 1);
		alice.send();
		const reuse = relay.client('carol');
		reuse.t.messages.push([env('a1', 'carol')]);
		expectRefused(relay, 'carol', both(reuse), 'R13');
	});

	it('[R13] remembers deleted ids given as tombstones when the index is rebuilt after a reload', () => {
		const { relay, alice } = seededGroup();
		alice.t.messages.delete(0, 1);
		alice.send();
		// a reload: the stored state has no content for a1 any more
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(relay.doc));
		const c = relay.client('carol');
		c.t.messages.push([env('a1', 'carol')]);
		const ctx = relay.ctx('carol');
		expect(checkUpdate(doc, c.diff(), ctx, new DocIndex(doc, { follow: false }))).toMatchObject({ ok: true });
		const withTombstones = new DocIndex(doc, { follow: false, tombstones: [{ id: 'a1', author: 'alice' }] });
		expect(checkUpdate(doc, c.diff(), ctx, withTombstones)).toMatchObject({ ok: false, rule: 'R13' });
	});

	it('[R14] lets members post in a group but only owner/admin in a channel; subscribers never', () => {
		const group = seededGroup('group');
		group.carol.t.messages.push([env('c2', 'carol')]);
		expectAccepted(group.relay, 'carol', both(group.carol));
		group.dave.t.messages.push([env('d1', 'dave')]);
		expectRefused(group.relay, 'dave', both(group.dave), 'R14');

		const channel = seededGroup('channel');
		channel.carol.t.messages.push([env('c2', 'carol')]);
		expectRefused(channel.relay, 'carol', both(channel.carol), 'R14');
		channel.bob.t.messages.push([env('b2', 'bob')]);
		expectAccepted(channel.relay, 'bob', both(channel.bob));
		channel.dave.t.messages.push([env('d1', 'dave')]);
		expectRefused(channel.relay, 'dave', both(channel.dave), 'R14');
	});
});

describe('checkUpdate: per-message and per-user maps', () => {
	it('[R15] lets a subscriber write only their own reads', () => {
		const { relay, dave } = seededGroup('channel');
		dave.t.reads.set('dave', { messageId: 'b1', at: 5 });
		expectAccepted(relay, 'dave', both(dave));
		const reacting = relay.client('dave');
		reacting.t.reactions.set('b1:dave', ['🎉']);
		expectRefused(relay, 'dave', both(reacting), 'R15');
	});

	it('[R16] lets the author edit, refuses edits of others and of unknown messages', () => {
		const { relay, carol } = seededGroup();
		carol.t.edits.set('c1', { text: 'fixed', editedAt: 9 });
		const ok = expectAccepted(relay, 'carol', both(carol));
		expect(ok.changes.edits).toEqual([{ messageId: 'c1', text: 'fixed', editedAt: 9 }]);
		const other = relay.client('carol');
		other.t.edits.set('a1', { text: 'alice said this', editedAt: 9 });
		expectRefused(relay, 'carol', both(other), 'R16');
		const unknown = relay.client('carol');
		unknown.t.edits.set('future-id', { text: 'pre-written', editedAt: 9 });
		expectRefused(relay, 'carol', both(unknown), 'R16');
		const badValue = relay.client('carol');
		badValue.t.edits.set('c1', { text: 'x', editedAt: -1 });
		expectRefused(relay, 'carol', both(badValue), 'R16');
	});

	it('[R16] accepts an edit of a message added by the same update', () => {
		const { relay, carol } = seededGroup();
		carol.doc.transact(() => {
			carol.t.edits.set('c2', { text: 'edited first', editedAt: 2 }); // listed before the envelope
			carol.t.messages.push([env('c2', 'carol')]);
		});
		expectAccepted(relay, 'carol', both(carol));
	});

	it("[R16] refuses overwriting another author's edit (origin-only item)", () => {
		const { relay, alice, carol } = seededGroup();
		alice.t.edits.set('a1', { text: 'v2', editedAt: 2 });
		alice.send();
		carol.pull();
		carol.t.edits.set('a1', { text: 'hijacked', editedAt: 3 });
		expectRefused(relay, 'carol', both(carol), 'R16');
	});

	it('[R17] accepts own reactions, refuses reactions under another user and bad emoji lists', () => {
		const { relay, carol } = seededGroup();
		carol.t.reactions.set('a1:carol', ['👍', '🎉']);
		expectAccepted(relay, 'carol', both(carol));
		const forged = relay.client('carol');
		forged.t.reactions.set('a1:bob', ['👎']);
		expectRefused(relay, 'carol', both(forged), 'R17');
		const tooMany = relay.client('carol');
		tooMany.t.reactions.set(
			'a1:carol',
			Array.from({ length: SYNC_LIMITS.maxEmojiPerReaction + 1 }, (_, i) => String.fromCodePoint(0x1f600 + i))
		);
		expectRefused(relay, 'carol', both(tooMany), 'R17');
		const repeated = relay.client('carol');
		repeated.t.reactions.set('a1:carol', ['👍', '👍']);
		expectRefused(relay, 'carol', both(repeated), 'R17');
	});

	it("[R17] refuses overwriting someone else's reaction key (origin-only item)", () => {
		const { relay, alice, carol } = seededGroup();
		alice.t.reactions.set('c1:alice', ['❤️']);
		alice.send();
		carol.pull();
		carol.t.reactions.set('c1:alice', ['💩']);
		expectRefused(relay, 'carol', both(carol), 'R17');
	});

	it('[R18] accepts own read keys (per device too), refuses other users keys and unknown messages', () => {
		const { relay, carol } = seededGroup();
		carol.t.reads.set('carol', { messageId: 'b1', at: 1 });
		carol.t.reads.set('carol:phone', { messageId: 'c1', at: 2 });
		const accepted = expectAccepted(relay, 'carol', both(carol));
		// The projection's max-register gets every message the update marks read.
		expect([...accepted.changes.reads].sort()).toEqual(['b1', 'c1']);
		const forged = relay.client('carol');
		forged.t.reads.set('alice:laptop', { messageId: 'b1', at: 1 });
		expectRefused(relay, 'carol', both(forged), 'R18');
		const unknown = relay.client('carol');
		unknown.t.reads.set('carol', { messageId: 'nope', at: 1 });
		expectRefused(relay, 'carol', both(unknown), 'R18');
	});

	it('[R24] refuses any read key from a user who turned read receipts off', () => {
		const { relay, carol } = seededGroup();
		relay.receiptsOff.add('carol');
		carol.t.reads.set('carol', { messageId: 'b1', at: 1 });
		expectRefused(relay, 'carol', both(carol), 'R24');
		relay.receiptsOff.delete('carol');
		const again = relay.client('carol');
		again.t.reads.set('carol', { messageId: 'b1', at: 1 });
		expectAccepted(relay, 'carol', both(again));
	});

	it('[R18] accepts overwriting a read key written by another device of the same user', () => {
		const { relay, carol } = seededGroup();
		carol.t.reads.set('carol', { messageId: 'a1', at: 1 });
		carol.send();
		const phone = relay.client('carol');
		phone.t.reads.set('carol', { messageId: 'c1', at: 2 });
		expect((Y.decodeUpdate(phone.diff()).structs[0] as Y.Item).origin).not.toBeNull();
		expectAccepted(relay, 'carol', both(phone));
	});

	it("[R18] refuses overwriting another user's read key (origin-only item)", () => {
		const { relay, bob, carol } = seededGroup();
		bob.t.reads.set('bob', { messageId: 'a1', at: 1 });
		bob.send();
		carol.pull();
		carol.t.reads.set('bob', { messageId: 'c1', at: 2 });
		expectRefused(relay, 'carol', both(carol), 'R18');
	});

	it('[R19] lets owner/admin pin (and overwrite another admin pin), refuses members in groups', () => {
		const { relay, alice, bob, carol } = seededGroup();
		alice.t.pins.set('c1', { by: 'alice', at: 1 });
		expectAccepted(relay, 'alice', both(alice));
		alice.send();
		bob.pull();
		bob.t.pins.set('c1', { by: 'bob', at: 2 });
		expectAccepted(relay, 'bob', both(bob));
		carol.t.pins.set('a1', { by: 'carol', at: 3 });
		expectRefused(relay, 'carol', both(carol), 'R19');
		const forgedBy = relay.client('bob');
		forgedBy.t.pins.set('a1', { by: 'alice', at: 3 });
		expectRefused(relay, 'bob', both(forgedBy), 'R19');
		const unknown = relay.client('bob');
		unknown.t.pins.set('nope', { by: 'bob', at: 3 });
		expectRefused(relay, 'bob', both(unknown), 'R19');
	});

	it('[R19] lets either member of a direct conversation pin', () => {
		const relay = new TestRelay('direct', { ann: 'member', ben: 'member' });
		const ann = relay.client('ann');
		ann.t.messages.push([env('m1', 'ann')]);
		ann.send();
		const ben = relay.client('ben');
		ben.t.pins.set('m1', { by: 'ben', at: 1 });
		expectAccepted(relay, 'ben', both(ben));
	});
});

describe('checkUpdate: items deleted before they were sent', () => {
	it('[R20] accepts an own message pushed and deleted before syncing (ContentDeleted)', () => {
		const { relay, carol } = seededGroup();
		carol.t.messages.push([env('c2', 'carol')]);
		carol.t.messages.delete(carol.t.messages.length - 1, 1);
		const item = Y.decodeUpdate(carol.diff()).structs[0] as Y.Item;
		expect(item.content).toBeInstanceOf(Y.ContentDeleted);
		expectAccepted(relay, 'carol', both(carol));
	});

	it('[R20] accepts offline send, edit and delete of a message the server never saw', () => {
		const { relay, carol } = seededGroup();
		carol.t.messages.push([env('c2', 'carol')]);
		carol.t.edits.set('c2', { text: 'typo fixed', editedAt: 2 });
		carol.doc.transact(() => {
			carol.t.messages.delete(carol.t.messages.length - 1, 1);
			carol.t.edits.delete('c2');
		});
		expectAccepted(relay, 'carol', both(carol));
	});

	it("[R20] refuses a deleted-on-arrival item on another user's key", () => {
		const { relay, alice, carol } = seededGroup();
		alice.t.reactions.set('a1:alice', ['👍']);
		alice.send();
		carol.pull();
		carol.t.reactions.set('a1:alice', ['x']);
		carol.t.reactions.delete('a1:alice');
		expectRefused(relay, 'carol', both(carol), 'R17');
	});

	it('[R20] refuses a deleted-on-arrival edit that would remove a live edit of a message not the sender’s', () => {
		const { relay, alice, carol } = seededGroup();
		alice.t.edits.set('a1', { text: 'v2', editedAt: 2 });
		alice.send();
		carol.pull();
		carol.t.edits.set('a1', { text: 'x', editedAt: 3 });
		carol.t.edits.delete('a1');
		expectRefused(relay, 'carol', both(carol), 'R16');
	});
});
