/** R25: which updates from a blocked pair's sockets count as writes (refused) and which change nothing (ignored). */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { accessAfterBlock, writesSomething } from '../../../server/relay/blocked-pair.js';
import { craftUpdate } from '../sync/craft.js';

/** The update a change to `doc` produces. */
function capture(doc: Y.Doc, change: () => void): Uint8Array {
	const updates: Uint8Array[] = [];
	const listener = (u: Uint8Array) => updates.push(u);
	doc.on('update', listener);
	change();
	doc.off('update', listener);
	return Y.mergeUpdates(updates);
}

/** A relay copy with three messages of one client, the middle one deleted; and a client synced to it. */
function scene() {
	const relay = new Y.Doc();
	const writer = new Y.Doc();
	const messages = writer.getArray<{ id: string }>('messages');
	messages.push([{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }]);
	messages.delete(1);
	Y.applyUpdate(relay, Y.encodeStateAsUpdate(writer));
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(relay));
	return { relay, client };
}

describe('writesSomething', () => {
	it('[R25] a sync step 2 with nothing new (only deletions the relay has) writes nothing', () => {
		const { relay, client } = scene();
		expect(writesSomething(relay, Y.encodeStateAsUpdate(client))).toBe(false);
		expect(writesSomething(relay, Y.encodeStateAsUpdate(client, Y.encodeStateVector(relay)))).toBe(false);
		expect(writesSomething(relay, Y.encodeStateAsUpdate(new Y.Doc()))).toBe(false);
	});

	it('[R25] a new struct, a delete of live content, or a delete beyond the relay state is a write', () => {
		const { relay, client } = scene();
		const messages = client.getArray('messages');
		expect(
			writesSomething(
				relay,
				capture(client, () => messages.delete(0))
			)
		).toBe(true);
		const other = scene();
		expect(
			writesSomething(
				other.relay,
				capture(other.client, () => other.client.getMap('reactions').set('m1:u', ['👍']))
			)
		).toBe(true);
		// a delete of an item the relay does not have yet (R22's case): still a write
		const ahead = new Y.Doc();
		ahead.getArray('messages').push([{ id: 'x' }]);
		const deletion = capture(ahead, () => ahead.getArray('messages').delete(0));
		expect(writesSomething(relay, deletion)).toBe(true);
		expect(writesSomething(relay, new Uint8Array([1, 2, 3]))).toBe(true);
	});

	it('[R25] repeated and overlapping delete ranges are refused by the cheap first pass (L2, L1) before anything is decoded', () => {
		const { relay } = scene();
		const client = [...relay.store.clients.keys()][0]!;
		// m2 (clock 1) is deleted on the relay; m1 (0) and m3 (2) are live. Repeating the range of
		// what is deleted already would change nothing, but no stock client sends overlapping
		// ranges: scanUpdate refuses it (L2) without Y.decodeUpdate building 100 000 objects.
		const repeated: [number, number][] = Array.from({ length: 100_000 }, () => [1, 1]);
		expect(writesSomething(relay, craftUpdate([], [[client, repeated]]))).toBe(true);
		// Over L1 (more ranges than SYNC_LIMITS.maxDeleteRanges), even without overlaps.
		const many: [number, number][] = Array.from({ length: 100_001 }, (_, i) => [i * 2 + 10, 1]);
		expect(writesSomething(relay, craftUpdate([], [[client, many]]))).toBe(true);
		// Unsorted but disjoint ranges of deleted content only are still merged and found harmless.
		expect(writesSomething(relay, craftUpdate([], [[client, [[1, 1]]]]))).toBe(false);
		expect(writesSomething(relay, craftUpdate([], [[client, [...repeated, [0, 2], [1, 1]]]]))).toBe(true);
		expect(writesSomething(relay, craftUpdate([], [[client, [...repeated, [2, 1]]]]))).toBe(true);
	});
});

describe('accessAfterBlock', () => {
	const direct = { kind: 'direct', role: 'owner', partnerId: 'bea', blocked: false, awareness: 'all' } as const;
	const group = { kind: 'group', role: 'member', blocked: false, awareness: 'all' } as const;

	it('[R25] closes and reopens the direct conversation with the other person only', () => {
		expect(accessAfterBlock(direct, 'bea', true)).toEqual({ ...direct, blocked: true, awareness: 'none' });
		expect(accessAfterBlock({ ...direct, blocked: true, awareness: 'none' }, 'bea', false)).toMatchObject({ blocked: false });
		expect(accessAfterBlock(direct, 'cy', true)).toBeNull();
	});

	it('[A7] limits a group or channel to typing until the re-read, and leaves inboxes and stricter settings alone', () => {
		expect(accessAfterBlock(group, 'bea', true)).toEqual({ ...group, awareness: 'typing' });
		expect(accessAfterBlock({ ...group, awareness: 'typing' }, 'bea', true)).toBeNull();
		expect(accessAfterBlock(group, 'bea', false)).toBeNull();
		expect(accessAfterBlock({ kind: 'inbox', role: 'member' }, 'bea', true)).toBeNull();
	});
});
