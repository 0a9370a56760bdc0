/** A1–A4: awareness states are only about the sender. */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
	AWARENESS_LIMITS,
	filterAwarenessUpdate,
	preFilterAwareness,
	type AwarenessSender
} from '../../../src/lib/sync/awareness-filter.js';

/** A connection of `userId` that owns `owned` and may claim ids nobody else holds. */
function sender(userId: string, owned: number[] = [], takenElsewhere: number[] = []): AwarenessSender & { ids: Set<number> } {
	const ids = new Set(owned);
	return {
		userId,
		ids,
		clientIds: ids,
		claim: (id) => {
			if (takenElsewhere.includes(id)) return false;
			ids.add(id);
			return true;
		}
	};
}

/** The awareness update a stock client sends for its local state. */
function localUpdate(state: Record<string, unknown> | null, clientId = 11): Uint8Array {
	const doc = new Y.Doc();
	doc.clientID = clientId;
	const awareness = new Awareness(doc);
	awareness.setLocalState(state);
	const update = encodeAwarenessUpdate(awareness, [clientId]);
	awareness.destroy(); // stops its heartbeat timer
	return update;
}

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

/** Applies a filtered update to a fresh server-side Awareness and returns the states it holds. */
function statesAfter(update: Uint8Array | null): Map<number, unknown> {
	const awareness = new Awareness(new Y.Doc());
	if (update !== null) applyAwarenessUpdate(awareness, update, 'test');
	const states = new Map(awareness.getStates());
	states.delete(awareness.clientID);
	awareness.destroy();
	return states;
}

describe('filterAwarenessUpdate', () => {
	it('[A1] claims the first client id of a connection and keeps its state', () => {
		const s = sender('alice');
		const result = filterAwarenessUpdate(localUpdate({ user: { id: 'alice', name: 'Alice' }, typing: true }), s);
		expect(result).toMatchObject({ dropped: 0, malformed: false });
		expect(s.ids.has(11)).toBe(true);
		expect(statesAfter(result.update).get(11)).toEqual({ user: { id: 'alice', name: 'Alice' }, typing: true });
	});

	it('[A1] drops entries for client ids held by another connection or beyond the one a connection may claim', () => {
		expect(filterAwarenessUpdate(localUpdate({ user: { id: 'bob' } }, 22), sender('bob', [], [22]))).toMatchObject({
			update: null,
			dropped: 1
		});
		const s = sender('alice', [11]);
		const result = filterAwarenessUpdate(
			frame([
				[11, 1, '{"typing":false}'],
				[33, 4, 'null'],
				[44, 1, '{}']
			]),
			s
		);
		expect(result.dropped).toBe(2); // a peer's removal the client timed out locally, and a second id
		expect([...statesAfter(result.update).keys()]).toEqual([11]);
		expect(s.ids.has(44)).toBe(false);
	});

	it('[A1] keeps a null state (the sender leaving) for its own id', () => {
		const result = filterAwarenessUpdate(frame([[11, 3, 'null']]), sender('alice', [11]));
		expect(result).toMatchObject({ dropped: 0, malformed: false });
		expect(result.update).not.toBeNull();
	});

	it('[A2] drops states that are not a plain object or exceed the size limit', () => {
		const big = JSON.stringify({ user: { id: 'alice' }, pad: 'x'.repeat(AWARENESS_LIMITS.maxStateBytes) });
		for (const json of ['"a string"', '[1,2]', '42', 'not json', big]) {
			expect(filterAwarenessUpdate(frame([[11, 1, json]]), sender('alice', [11])), json.slice(0, 20)).toMatchObject({
				update: null,
				dropped: 1
			});
		}
	});

	it('[A3] drops a state speaking for another user; stamps the sender on a state that names nobody', () => {
		expect(filterAwarenessUpdate(localUpdate({ user: { id: 'bob', name: 'Bob' } }), sender('alice', [11]))).toMatchObject({
			update: null,
			dropped: 1
		});
		expect(filterAwarenessUpdate(frame([[11, 1, '{"user":"bob"}']]), sender('alice', [11]))).toMatchObject({ update: null, dropped: 1 });
		const anonymous = filterAwarenessUpdate(localUpdate({ cursor: 5 }), sender('alice', [11]));
		expect(statesAfter(anonymous.update).get(11)).toEqual({ cursor: 5, user: { id: 'alice' } });
		const named = filterAwarenessUpdate(localUpdate({ user: { name: 'Al' } }), sender('alice', [11]));
		expect(statesAfter(named.update).get(11)).toEqual({ user: { name: 'Al', id: 'alice' } });
	});

	it('[A4] reports undecodable frames and frames with trailing bytes as malformed', () => {
		for (const bad of [new Uint8Array([3, 1]), new Uint8Array([]), new Uint8Array([...frame([[11, 1, 'null']]), 0])]) {
			expect(filterAwarenessUpdate(bad, sender('alice', [11]))).toEqual({ update: null, dropped: 0, malformed: true });
		}
	});

	it('[A1][A4] keeps only the sender’s entry of a frame echoing hundreds of other states (a stock client does)', () => {
		const echo = frame([
			[11, 2, '{"typing":true}'],
			...Array.from({ length: 500 }, (_, i): [number, number, string] => [1000 + i, 1, '{"presence":{"online":true}}'])
		]);
		const result = filterAwarenessUpdate(echo, sender('alice', [11]));
		expect(result.malformed).toBe(false);
		expect(result.dropped).toBe(500);
		expect([...statesAfter(result.update).keys()]).toEqual([11]);
	});
});

describe('preFilterAwareness (ownership before anything costly)', () => {
	/** Decodes (clientId, json) pairs of a re-encoded frame. */
	const entriesOf = (update: Uint8Array | null) => {
		if (!update) return [];
		const d = decoding.createDecoder(update);
		const n = decoding.readVarUint(d);
		return Array.from({ length: n }, () => {
			const id = decoding.readVarUint(d);
			decoding.readVarUint(d);
			return [id, decoding.readVarString(d)] as const;
		});
	};

	it('[A1] keeps only owned entries and one claim candidate; foreign states are skipped unread (invalid UTF-8 and JSON are never looked at)', () => {
		// Foreign entries carry bytes that are not even text: skipping them must not decode them.
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, 4);
		for (const id of [100, 101]) {
			encoding.writeVarUint(e, id);
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint8Array(e, new Uint8Array([0xff, 0xfe, 0xfd]));
		}
		for (const id of [7, 8]) {
			encoding.writeVarUint(e, id);
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, '{"typing":true}');
		}
		let asked = 0;
		const owns = (id: number) => (asked++, id === 8);
		const kept = preFilterAwareness(encoding.toUint8Array(e), { owns, mayClaim: false, maxEntries: 10 });
		expect(kept.malformed).toBe(false);
		expect(entriesOf(kept.update)).toEqual([[8, '{"typing":true}']]);
		expect(asked).toBe(4);
		// A connection owning nothing yet keeps the first unknown id only (the one it may claim); the
		// garbage after it is skipped unread. (Garbage as the candidate itself is malformed: A4.)
		const f = encoding.createEncoder();
		encoding.writeVarUint(f, 3);
		encoding.writeVarUint(f, 7);
		encoding.writeVarUint(f, 1);
		encoding.writeVarString(f, '{}');
		for (const id of [100, 101]) {
			encoding.writeVarUint(f, id);
			encoding.writeVarUint(f, 1);
			encoding.writeVarUint8Array(f, new Uint8Array([0xff, 0xfe, 0xfd]));
		}
		const first = preFilterAwareness(encoding.toUint8Array(f), { owns: () => false, mayClaim: true, maxEntries: 10 });
		expect(first.malformed).toBe(false);
		expect(entriesOf(first.update)).toEqual([[7, '{}']]);
		expect(preFilterAwareness(encoding.toUint8Array(e), { owns: () => false, mayClaim: true, maxEntries: 10 }).malformed).toBe(true);
	});

	it('[A4] a frame with more entries than the room holds plus the margin is dropped before any entry is read', () => {
		const many = frame(Array.from({ length: 1000 }, (_, i) => [i, 1, '{}'] as [number, number, string]));
		let asked = 0;
		const result = preFilterAwareness(many, { owns: () => (asked++, true), mayClaim: true, maxEntries: 20 });
		expect(result).toEqual({ update: null, malformed: false, tooMany: true });
		expect(asked).toBe(0);
		// Trailing bytes are still malformed.
		const trailing = new Uint8Array([...frame([[1, 1, '{}']]), 0]);
		expect(preFilterAwareness(trailing, { owns: () => true, mayClaim: false, maxEntries: 20 }).malformed).toBe(true);
	});

	it('[A1] filterAwarenessUpdate asks the relay to claim at most once per frame', () => {
		let claims = 0;
		const s: AwarenessSender = { userId: 'ann', clientIds: new Set(), claim: () => (claims++, false) };
		filterAwarenessUpdate(frame(Array.from({ length: 50 }, (_, i) => [i + 1, 1, '{}'] as [number, number, string])), s);
		expect(claims).toBe(1);
	});
});
