/** A7: what a sender's privacy (and blocks) leave of their awareness states. */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { filterAwarenessUpdate, limitAwareness, type AwarenessVisibility } from '../../../src/lib/sync/awareness-filter.js';

/** Raw frame of (clientId, clock, json) entries. */
function frame(entries: [number, number, string][]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, entries.length);
	for (const [id, clock, json] of entries) {
		encoding.writeVarUint(e, id);
		encoding.writeVarUint(e, clock);
		encoding.writeVarString(e, json);
	}
	return encoding.toUint8Array(e);
}

/** The (clientId, clock, state) entries of a frame. */
function entries(update: Uint8Array | null): [number, number, unknown][] {
	if (update === null) return [];
	const d = decoding.createDecoder(update);
	const n = decoding.readVarUint(d);
	const out: [number, number, unknown][] = [];
	for (let i = 0; i < n; i++) out.push([decoding.readVarUint(d), decoding.readVarUint(d), JSON.parse(decoding.readVarString(d))]);
	return out;
}

const shownIds = (...ids: number[]) => ({ shown: (id: number) => ids.includes(id) });
const idle = JSON.stringify({ user: { id: 'alice', name: 'Alice', color: '#f00' }, typing: false, online: true, lastSeen: 5 });
const typing = JSON.stringify({ user: { id: 'alice', name: 'Alice', color: '#f00' }, typing: true, lastSeen: 5, cursor: 3 });

describe('limitAwareness', () => {
	it('[A7] everyone: the frame passes untouched (the same bytes)', () => {
		const update = frame([[11, 1, idle]]);
		expect(limitAwareness(update, 'all', shownIds()).update).toBe(update);
	});

	it('[A7] typing only: an idle state is dropped, a typing state passes as {user: {id}, typing: true} and nothing else', () => {
		const result = limitAwareness(frame([[11, 1, idle]]), 'typing', shownIds());
		expect(result).toEqual({ update: null, dropped: 1, malformed: false });
		expect(entries(limitAwareness(frame([[11, 2, typing]]), 'typing', shownIds()).update)).toEqual([
			[11, 2, { user: { id: 'alice' }, typing: true }]
		]);
		// No user: A3 fills the id in later. A forged id is kept, so that A3 still drops it.
		expect(entries(limitAwareness(frame([[11, 2, '{"typing":true}']]), 'typing', shownIds()).update)).toEqual([[11, 2, { typing: true }]]);
		expect(entries(limitAwareness(frame([[11, 2, '{"typing":true,"user":{"name":"x"}}']]), 'typing', shownIds()).update)).toEqual([
			[11, 2, { user: {}, typing: true }]
		]);
	});

	it('[A7] typing only: what is not announced ends a shown state (a removal), and a removal of an unshown id is dropped', () => {
		expect(entries(limitAwareness(frame([[11, 3, idle]]), 'typing', shownIds(11)).update)).toEqual([[11, 3, null]]);
		expect(entries(limitAwareness(frame([[11, 3, 'null']]), 'typing', shownIds(11)).update)).toEqual([[11, 3, null]]);
		// "this client left", for a client never shown, would tell that it had been there
		expect(limitAwareness(frame([[11, 3, 'null']]), 'typing', shownIds()).update).toBeNull();
	});

	it('[A7] none: not even typing passes; a shown state is removed', () => {
		expect(limitAwareness(frame([[11, 2, typing]]), 'none', shownIds()).update).toBeNull();
		expect(entries(limitAwareness(frame([[11, 2, typing]]), 'none', shownIds(11)).update)).toEqual([[11, 2, null]]);
	});

	it('[A7] leaves malformed frames malformed (A4) and oversized or unreadable states to A2', () => {
		expect(limitAwareness(new Uint8Array([5, 1]), 'typing', shownIds()).malformed).toBe(true);
		const big = JSON.stringify({ typing: false, pad: 'x'.repeat(5000) });
		expect(entries(limitAwareness(frame([[11, 1, big]]), 'typing', shownIds()).update)[0]![2]).toEqual(JSON.parse(big));
		const broken = limitAwareness(frame([[11, 1, '{not json']]), 'typing', shownIds());
		expect(broken.update).not.toBeNull();
		expect(filterAwarenessUpdate(broken.update!, { userId: 'alice', clientIds: new Set([11]), claim: () => false }).update).toBeNull();
	});

	for (const visibility of ['typing', 'none'] as AwarenessVisibility[]) {
		it(`[A7] a stock client and the relay's awareness settle after a few frames (${visibility}): no endless removal/resend loop`, () => {
			// The relay's copy, and a stock client whose provider sends every change it hears (as y-websocket does).
			const room = new Awareness(new Y.Doc());
			room.setLocalState(null);
			const doc = new Y.Doc();
			const client = new Awareness(doc);
			const owned = new Set<number>();
			let hops = 0;
			client.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
				if (++hops > 50) throw new Error('awareness loop');
				const limited = limitAwareness(encodeAwarenessUpdate(client, [...added!, ...updated!, ...removed!]), visibility, {
					shown: (id) => room.getStates().has(id)
				});
				if (!limited.update) return;
				const filtered = filterAwarenessUpdate(limited.update, { userId: 'alice', clientIds: owned, claim: (id) => owned.add(id).has(id) });
				if (filtered.update) applyAwarenessUpdate(room, filtered.update, origin === 'relay' ? 'echo' : 'client');
			});
			room.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
				if (++hops > 50) throw new Error('awareness loop');
				applyAwarenessUpdate(client, encodeAwarenessUpdate(room, [...added!, ...updated!, ...removed!]), 'relay');
			});
			client.setLocalState({ user: { id: 'alice' }, typing: true });
			expect(room.getStates().get(doc.clientID)).toEqual(visibility === 'typing' ? { user: { id: 'alice' }, typing: true } : undefined);
			client.setLocalStateField('typing', false);
			expect(room.getStates().has(doc.clientID)).toBe(false);
			// The client kept its own state all along; renewals go on being dropped.
			client.setLocalStateField('typing', false);
			expect(client.getLocalState()).toEqual({ user: { id: 'alice' }, typing: false });
			expect(room.getStates().has(doc.clientID)).toBe(false);
			expect(hops).toBeLessThan(20);
			client.destroy();
			room.destroy();
		});
	}
});
