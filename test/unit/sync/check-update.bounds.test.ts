/**
 * L1–L7: an update's shape is bounded before anything it names is looked up, so that deciding on
 * it, and applying it when accepted, costs work linear in its size (counted in steps, never timed).
 */
import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { checkUpdate, type CheckResult, type WorkMeter } from '../../../src/lib/sync/check-update.js';
import { SYNC_LIMITS } from '../../../src/lib/sync/schema.js';
import { deleteBomb, relayWithOwnMessages, structCount, writeOwnMessages, yjsDeleteVisits } from './bombs.js';
import { craftUpdate, type CraftStruct } from './craft.js';
import { env, expectAccepted, expectRefused, TestRelay } from './support.js';

const CAROL_CLIENT = 7_000;
const ITEMS = 2_000;

/** checkUpdate as carol, with its step count. */
function measured(relay: TestRelay, update: Uint8Array, user = 'carol'): { verdict: CheckResult; steps: number } {
	const meter: WorkMeter = { steps: 0 };
	const verdict = checkUpdate(relay.doc, update, relay.ctx(user), relay.index, meter);
	return { verdict, steps: meter.steps };
}

/** The linear bound every update must meet: steps per input byte and per server struct. */
function linearBound(relay: TestRelay, update: Uint8Array): number {
	return 32 * update.length + 4 * structCount(relay.doc) + 256;
}

describe('checkUpdate: bounded work', () => {
	for (const deleted of [false, true]) {
		const items = deleted ? 'already deleted items' : 'live items';
		it(`[L1][L2] refuses a delete-set bomb over ${items} in steps linear in its size`, () => {
			const relay = relayWithOwnMessages(ITEMS, CAROL_CLIENT, deleted);
			expect(structCount(relay.doc)).toBeGreaterThanOrEqual(ITEMS); // one struct per message: the worst case
			// ~1 MiB as in the report: over L1, refused by counting alone
			const big = deleteBomb(CAROL_CLIENT, ITEMS, 300_000);
			const first = measured(relay, big);
			expect(first.verdict).toMatchObject({ ok: false, rule: 'L1' });
			expect(first.steps).toBeLessThan(10); // one pass over the clients, nothing sorted or looked up
			// under L1: the repeats overlap (L2)
			const under = deleteBomb(CAROL_CLIENT, ITEMS, SYNC_LIMITS.maxDeleteRanges);
			const second = measured(relay, under);
			expect(second.verdict).toMatchObject({ ok: false, rule: 'L2' });
			// refused at the second range, before Yjs decodes anything; the old checker walked
			// ranges × items: 2 · 10^8 steps here
			expect(second.steps).toBeLessThan(10);
			console.log(`bomb over ${items}: ${big.length} B → ${first.steps} steps; ${under.length} B → ${second.steps} steps`);
		});
	}

	it('[L1] accepts a delete set of exactly maxDeleteRanges disjoint ranges, and applying it visits each struct once', () => {
		const relay = new TestRelay('group', { alice: 'owner', carol: 'member' });
		const n = SYNC_LIMITS.maxDeleteRanges;
		// an item deleted before it was sent, 2n clocks long: what an old busy client id looks like
		const setup = craftUpdate([{ client: CAROL_CLIENT, clock: 0, structs: [{ parent: 'messages', content: { deleted: 2 * n } }] }]);
		expect(relay.submit('carol', setup)).toMatchObject({ ok: true });
		const ranges = Array.from({ length: n }, (_, i) => [2 * i, 1] as [number, number]);
		const update = craftUpdate([], [[CAROL_CLIENT, ranges]]);
		const { verdict, steps } = measured(relay, update);
		expect(verdict).toMatchObject({ ok: true });
		expect(steps).toBeLessThan(linearBound(relay, update));
		expect(yjsDeleteVisits(relay.doc, update)).toBeLessThanOrEqual(3 * n);
		const over = craftUpdate([], [[CAROL_CLIENT, [...ranges, [2 * n - 1, 1]]]]);
		expectRefused(relay, 'carol', [over], 'L1');
	});

	it('[L2] refuses empty, overlapping and unsafe ranges; accepts unsorted and adjacent ones (merged)', () => {
		const relay = relayWithOwnMessages(10, CAROL_CLIENT);
		expectRefused(relay, 'carol', [craftUpdate([], [[CAROL_CLIENT, [[3, 0]]]])], 'L2');
		expectRefused(
			relay,
			'carol',
			[
				craftUpdate(
					[],
					[
						[
							CAROL_CLIENT,
							[
								[0, 5],
								[4, 2]
							]
						]
					]
				)
			],
			'L2'
		);
		expectRefused(
			relay,
			'carol',
			[
				craftUpdate(
					[],
					[
						[
							CAROL_CLIENT,
							[
								[6, 2],
								[0, 7]
							]
						]
					]
				)
			],
			'L2'
		);
		expectRefused(
			relay,
			'carol',
			[
				craftUpdate(
					[],
					[
						[
							CAROL_CLIENT,
							[
								[0, 1],
								[0, 1]
							]
						]
					]
				)
			],
			'L2'
		);
		// a client listed twice in the delete set: Yjs appends both lists, so they overlap too
		expectRefused(
			relay,
			'carol',
			[
				craftUpdate(
					[],
					[
						[CAROL_CLIENT, [[0, 2]]],
						[CAROL_CLIENT, [[1, 1]]]
					]
				)
			],
			'L2'
		);
		expectRefused(relay, 'carol', [craftUpdate([], [[CAROL_CLIENT, [[2 ** 53 - 2, 5]]]])], 'L2');
		const result = expectAccepted(relay, 'carol', [
			craftUpdate(
				[],
				[
					[
						CAROL_CLIENT,
						[
							[5, 3],
							[0, 2],
							[2, 3]
						]
					]
				]
			)
		]);
		// clock i holds own<i>: [0, 8) once
		expect(result.changes.deleted.sort()).toEqual(['own0', 'own1', 'own2', 'own3', 'own4', 'own5', 'own6', 'own7']);
	});

	it('[L3] refuses an update of more than maxStructs structs before resolving any', () => {
		const relay = new TestRelay('group', { alice: 'owner', carol: 'member' });
		const structs = (n: number): CraftStruct[] =>
			Array.from({ length: n }, (_, i) =>
				i === 0 ? { parent: 'messages', content: { deleted: 1 } } : { origin: { client: 9, clock: i - 1 }, content: { deleted: 1 } }
			);
		const over = craftUpdate([{ client: 9, clock: 0, structs: structs(SYNC_LIMITS.maxStructs + 1) }]);
		const { verdict, steps } = measured(relay, over);
		expect(verdict).toMatchObject({ ok: false, rule: 'L3' });
		expect(steps).toBe(0);
		// a deep origin chain at the limit is resolved in linear steps
		const at = craftUpdate([{ client: 9, clock: 0, structs: structs(SYNC_LIMITS.maxStructs) }]);
		const ok = measured(relay, at);
		expect(ok.verdict).toMatchObject({ ok: true });
		expect(ok.steps).toBeLessThan(linearBound(relay, at));
	});

	it('[L4] refuses an update that binds more than maxNewClients client ids', () => {
		const relay = new TestRelay('group', { alice: 'owner', carol: 'member' });
		const runs = (n: number) =>
			Array.from({ length: n }, (_, i) => ({
				client: 100 + i,
				clock: 0,
				structs: [{ parent: 'messages', content: { deleted: 1 } } as CraftStruct]
			}));
		expectRefused(relay, 'carol', [craftUpdate(runs(SYNC_LIMITS.maxNewClients + 1))], 'L4');
		expect(expectAccepted(relay, 'carol', [craftUpdate(runs(SYNC_LIMITS.maxNewClients))]).newBindings).toHaveLength(
			SYNC_LIMITS.maxNewClients
		);
	});

	it('[L5] refuses more than maxLiveDeleteRanges ranges over live items in one update', () => {
		const n = SYNC_LIMITS.maxLiveDeleteRanges;
		const relay = relayWithOwnMessages(2 * n + 2, CAROL_CLIENT);
		const ranges = (count: number) => Array.from({ length: count }, (_, i) => [2 * i, 1] as [number, number]);
		const ok = expectAccepted(relay, 'carol', [craftUpdate([], [[CAROL_CLIENT, ranges(n)]])]);
		expect(ok.changes.deleted).toHaveLength(n);
		expectRefused(relay, 'carol', [craftUpdate([], [[CAROL_CLIENT, ranges(n + 1)]])], 'L5');
		// ranges over already deleted items do not count (R21)
		Y.applyUpdate(relay.doc, craftUpdate([], [[CAROL_CLIENT, ranges(n)]]));
		expectAccepted(relay, 'carol', [craftUpdate([], [[CAROL_CLIENT, [...ranges(n), [2 * n, 1]]]])]);
	});

	it('[L6] refuses deleting more than maxLiveDeletedIds live ids in one update, counted before reading them', () => {
		const n = SYNC_LIMITS.maxLiveDeletedIds;
		const relay = new TestRelay('group', { alice: 'owner', carol: 'member' });
		const writer = new Y.Doc();
		writer.clientID = CAROL_CLIENT;
		// one struct holding n + 1 messages (pushed in one go, so Yjs keeps them as one item)
		writer.getArray('messages').push(Array.from({ length: n + 1 }, (_, i) => env(`m${i}`, 'carol')));
		expect(relay.submit('carol', Y.encodeStateAsUpdate(writer))).toMatchObject({ ok: true });
		expectRefused(relay, 'carol', [craftUpdate([], [[CAROL_CLIENT, [[0, n + 1]]]])], 'L6');
		const ok = expectAccepted(relay, 'carol', [craftUpdate([], [[CAROL_CLIENT, [[1, n]]]])]);
		expect(ok.changes.deleted).toHaveLength(n);
	});

	it('[L2][R22] an honest delete of own messages written at the front stays accepted and linear', () => {
		const relay = relayWithOwnMessages(500, CAROL_CLIENT);
		const writer = new Y.Doc();
		writer.clientID = 7_001;
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(relay.doc));
		writeOwnMessages(writer, 'carol', 50, 'more');
		writer.getArray('messages').delete(10, 400);
		const update = Y.encodeStateAsUpdate(writer, Y.encodeStateVector(relay.doc));
		const { verdict, steps } = measured(relay, update);
		expect(verdict).toMatchObject({ ok: true });
		expect(steps).toBeLessThan(linearBound(relay, update));
	});

	/** A group of `n` messages by alice from two alternating devices (one struct each, as in a real conversation). */
	function interleaved(n: number): TestRelay {
		const relay = new TestRelay('group', { alice: 'owner', carol: 'member' });
		const doc = new Y.Doc();
		for (let i = 0; i < n; i++) {
			doc.clientID = 5 + (i % 2);
			doc.getArray('messages').push([env(`a${i}`, 'alice')]);
		}
		relay.bindings.set(5, 'alice');
		relay.bindings.set(6, 'alice');
		Y.applyUpdate(relay.doc, Y.encodeStateAsUpdate(doc));
		return relay;
	}

	it('[L7] refuses items forged to land far from their neighbours (each would make Yjs walk the whole list)', () => {
		const relay = interleaved(2_000);
		// after the first message, no right neighbour: Yjs orders each against all 1 999 later ones
		const structs: CraftStruct[] = Array.from({ length: 200 }, () => ({ origin: { client: 5, clock: 0 }, content: { deleted: 1 } }));
		const update = craftUpdate([{ client: 2 ** 31, clock: 0, structs }]);
		const { verdict, steps } = measured(relay, update);
		expect(verdict).toMatchObject({ ok: false, rule: 'L7' });
		// the walk stops with the budget
		expect(steps).toBeLessThan(SYNC_LIMITS.maxIntegrationScan + linearBound(relay, update));
	});

	it('[L7] accepts an honest append after thousands of messages arrived while the sender was offline', () => {
		const relay = interleaved(10);
		const carol = relay.client('carol');
		const more = new Y.Doc();
		Y.applyUpdate(more, Y.encodeStateAsUpdate(relay.doc));
		for (let i = 0; i < 5_000; i++) {
			more.clientID = 5 + (i % 2);
			more.getArray('messages').push([env(`b${i}`, 'alice')]);
		}
		Y.applyUpdate(relay.doc, Y.encodeStateAsUpdate(more, Y.encodeStateVector(relay.doc)));
		carol.t.messages.push([env('c1', 'carol'), env('c2', 'carol')]);
		carol.t.messages.push([env('c3', 'carol')]);
		const update = carol.diff();
		const { verdict, steps } = measured(relay, update);
		expect(verdict).toMatchObject({ ok: true });
		// one walk over what arrived meanwhile, as Yjs itself does once
		expect(steps).toBeGreaterThanOrEqual(5_000);
		expect(steps).toBeLessThan(linearBound(relay, update));
	});

	it('[L3][R6] refuses sub-documents and other content at the first such struct, before Yjs decodes the rest', () => {
		const relay = new TestRelay('group', { alice: 'owner', carol: 'member' });
		// a sub-document item: Yjs builds a whole Y.Doc for each while decoding
		const doc: CraftStruct = {
			parent: 'messages',
			content: {
				ref: 9,
				write: (e) => {
					encoding.writeVarString(e, 'g');
					encoding.writeAny(e, {});
				}
			}
		};
		const update = craftUpdate([{ client: 99, clock: 0, structs: Array.from({ length: 5_000 }, () => doc) }]);
		const { verdict, steps } = measured(relay, update);
		expect(verdict).toMatchObject({ ok: false, rule: 'R6' });
		expect(steps).toBe(1);
		// struct counts are summed over clients as they are read
		const runs = Array.from({ length: 3 }, (_, i) => ({
			client: 100 + i,
			clock: 0,
			structs: Array.from({ length: 4_000 }, (): CraftStruct => ({ gc: 1 }))
		}));
		const many = measured(relay, craftUpdate(runs));
		expect(many.verdict).toMatchObject({ ok: false, rule: 'L3' });
		expect(many.steps).toBe(8_000);
	});
});
