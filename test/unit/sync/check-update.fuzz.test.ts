/** Corrupted real updates: checkUpdate never throws, and whatever it accepts applies cleanly. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '../../../src/lib/sync/check-update.js';
import { deleteMessage } from '../../../src/lib/sync/doc-ops.js';
import { both, env, seededGroup } from './support.js';

describe('checkUpdate: corrupted updates', () => {
	it('[R1][R2][R3][R7][R22] never throws, and an accepted corrupted update leaves nothing pending', () => {
		const { relay, alice, carol } = seededGroup();
		alice.t.reactions.set('c1:alice', ['👍']);
		alice.send();
		carol.pull();
		carol.doc.transact(() => {
			carol.t.messages.push([env('c2', 'carol'), env('c3', 'carol')]);
			carol.t.edits.set('c1', { text: 'v2', editedAt: 2 });
			carol.t.reads.set('carol', { messageId: 'c2', at: 3 });
		});
		deleteMessage(carol.doc, 'carol', 'c3');
		const seeds = both(carol);
		const snapshot = Y.encodeStateAsUpdate(relay.doc);
		const ctx = relay.ctx('carol');
		let accepted = 0;
		fc.assert(
			fc.property(fc.nat(seeds.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }), (which, flips) => {
				const update = Uint8Array.from(seeds[which] ?? []);
				for (const [at, value] of flips) update[at % update.length] = value;
				const verdict = checkUpdate(relay.doc, update, ctx, relay.index);
				if (!verdict.ok) return;
				accepted++;
				const copy = new Y.Doc();
				Y.applyUpdate(copy, snapshot);
				Y.applyUpdate(copy, update);
				expect(copy.store.pendingStructs).toBeNull();
				expect(copy.store.pendingDs).toBeNull();
				for (const e of verdict.changes.added) expect(e.author).toBe('carol');
				const others = copy
					.getArray<{ id: string }>('messages')
					.toArray()
					.map((e) => e.id)
					.filter((id) => !id.startsWith('c'));
				expect(others.sort()).toEqual(['a1', 'b1']); // nobody else's message went away
			}),
			{ seed: 7, numRuns: 1500 }
		);
		expect(accepted).toBeGreaterThan(50); // flips inside text and numbers stay acceptable
	});
});
