/** The outbox: confirmation by sequence, and replay filtered by the relay's own rules. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Outbox } from '../../../src/lib/client/sync/outbox.js';
import type { WriteOp } from '../../../src/lib/client/sync/write-ops.js';

const env = (id: string, author: string) => ({ id, author, createdAt: 1_700_000_000_000, text: `text of ${id}` });

/** A copy of the relay's document with one message by `alice`, as a fresh client gets it. */
function synced(): Y.Doc {
	const server = new Y.Doc();
	server.getArray('messages').push([env('a1', 'alice')]);
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
	return doc;
}

describe('Outbox', () => {
	it('keeps writes until confirmed through their sequence number; a write that changes nothing is not kept', () => {
		const outbox = new Outbox();
		const doc = synced();
		expect(outbox.write(doc, 'bob', { kind: 'send', envelope: env('b1', 'bob') })).toBe(true);
		expect(outbox.write(doc, 'bob', { kind: 'read', messageId: 'b1', at: 1 })).toBe(true);
		expect(outbox.write(doc, 'bob', { kind: 'read', messageId: 'a1', at: 2 })).toBe(false); // behind the read position
		expect(outbox.pending.map((w) => w.seq)).toEqual([1, 2]);
		outbox.confirmThrough(1);
		expect(outbox.pending.map((w) => w.op.kind)).toEqual(['read']);
	});

	it('replays what the rules still allow and reports the rest with the rule that refuses it', () => {
		const outbox = new Outbox();
		const doc = synced();
		const ops: WriteOp[] = [
			{ kind: 'send', envelope: env('b1', 'bob') }, // a subscriber may not post (R14)
			{ kind: 'edit', messageId: 'b1', text: 'fixed', editedAt: 2 }, // its message never made it
			{ kind: 'react', messageId: 'a1', emoji: ['👍'] }, // nor react (R15)
			{ kind: 'read', messageId: 'a1', at: 3 } // but reads are theirs
		];
		const { resent, dropped } = outbox.replay(doc, ops, { userId: 'bob', role: 'subscriber', kind: 'channel' });
		expect(dropped.map((d) => [d.op.kind, d.rule])).toEqual([
			['send', 'R14'],
			['edit', 'write'],
			['react', 'R15']
		]);
		expect(resent).toEqual([ops[3]]);
		expect(outbox.pending.map((w) => w.op)).toEqual([ops[3]]);
		expect(doc.getArray('messages').length).toBe(1);
		expect(doc.getMap('reads').get('bob')).toEqual({ messageId: 'a1', at: 3 });
		expect(doc.getMap('reactions').size).toBe(0);
	});

	it('replays a whole offline conversation as a member, in order, with the fresh client id', () => {
		const outbox = new Outbox();
		const doc = synced();
		const ops: WriteOp[] = [
			{ kind: 'send', envelope: env('b1', 'bob') },
			{ kind: 'edit', messageId: 'b1', text: 'fixed', editedAt: 2 },
			{ kind: 'react', messageId: 'a1', emoji: ['👍'] },
			{ kind: 'send', envelope: env('b2', 'bob') },
			{ kind: 'delete', messageId: 'b2' },
			{ kind: 'delete', messageId: 'a1' } // not his (R23)
		];
		const { resent, dropped } = outbox.replay(doc, ops, { userId: 'bob', role: 'member', kind: 'group' });
		expect(dropped.map((d) => [d.op.kind, d.rule])).toEqual([['delete', 'R23']]);
		expect(resent).toHaveLength(5);
		expect(
			doc
				.getArray<{ id: string }>('messages')
				.toArray()
				.map((m) => m.id)
		).toEqual(['a1', 'b1']);
		expect(doc.getMap('edits').get('b1')).toEqual({ text: 'fixed', editedAt: 2 });
	});
});
