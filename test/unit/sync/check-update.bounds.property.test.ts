/**
 * L1–L7 as a property: for any update fast-check builds from adversarial pieces (ranges repeated
 * thousands of times, overlapping or unsorted, many clients, long origin chains, fans of items on
 * one origin, huge deleted items), the checker's steps stay within a linear bound of the update's
 * bytes and the document's structs, and an accepted update applies cleanly, visiting each server
 * struct at most once while deleting. Steps are counted, never timed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { craftUpdate, type CraftRun, type CraftStruct } from './craft.js';
import { SERVER_CLIENT, env } from './support.js';
import { fuzzWorld, runFuzzCase } from './update-fuzz.js';

const world = fuzzWorld();
const { carol: CAROL, alice: ALICE } = world.clients;

const rangeArb = fc.tuple(fc.nat(420), fc.oneof(fc.nat(420), fc.constantFrom(0, 2 ** 40)));
const deleteSetArb = fc.uniqueArray(
	fc.record({
		client: fc.constantFrom(CAROL, ALICE, SERVER_CLIENT, 424_242),
		ranges: fc.array(rangeArb, { minLength: 1, maxLength: 30 }),
		repeat: fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, { arbitrary: fc.integer({ min: 2, max: 2_000 }), weight: 1 }),
		reverse: fc.boolean(),
		/** read the pairs as (gap, length) from the previous range's end: disjoint, as stock clients send */
		disjoint: fc.boolean()
	}),
	// one entry per client (a client listed twice is an L2 case of its own, in the unit tests)
	{ maxLength: 4, selector: (entry) => entry.client }
);

const runsArb = fc.record({
	clients: fc.integer({ min: 1, max: 80 }),
	perClient: fc.integer({ min: 1, max: 150 }),
	shape: fc.constantFrom('roots', 'chain', 'fan', 'cross', 'keys'),
	deleted: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 31 })),
	ownFirst: fc.boolean()
});

/** Builds the runs described by `r`: new client ids (or carol's own first), items of `shape`. */
function runsOf(r: { clients: number; perClient: number; shape: string; deleted: number; ownFirst: boolean }): CraftRun[] {
	const runs: CraftRun[] = [];
	for (let c = 0; c < r.clients; c++) {
		const own = r.ownFirst && c === 0;
		const client = own ? CAROL : 50_000 + c;
		const clock = own ? 300 : 0;
		const structs: CraftStruct[] = [];
		for (let i = 0; i < r.perClient; i++) {
			const content = r.deleted > 0 ? { deleted: r.deleted } : [env(`p${c}-${i}`, 'carol')];
			if (r.shape === 'roots' || i === 0) structs.push({ parent: 'messages', content });
			else if (r.shape === 'chain') structs.push({ origin: { client, clock: clock + (i - 1) * (r.deleted || 1) }, content });
			else if (r.shape === 'fan') structs.push({ origin: { client: ALICE, clock: 50 }, content });
			else if (r.shape === 'cross') structs.push({ origin: { client: 50_000 + ((c + 1) % r.clients), clock: i - 1 }, content });
			else structs.push({ parent: 'reactions', parentSub: `own${i}:carol`, content: r.deleted > 0 ? content : [['👍']] });
		}
		runs.push({ client, clock, structs });
	}
	return runs;
}

describe('checkUpdate: bounded work (property)', () => {
	it('[L1][L2][L3][L4][L5][L6][L7] any adversarial update: steps linear in bytes and document; accepted ones apply visiting each struct once', () => {
		const verdicts = new Map<string, number>();
		fc.assert(
			fc.property(fc.option(runsArb), deleteSetArb, fc.constantFrom('carol', 'alice'), (runs, ds, user) => {
				const deleteSet = ds.map(({ client, ranges, repeat, reverse, disjoint }) => {
					let end = 0;
					const laid = !disjoint
						? ranges
						: ranges.map(([gap, len]): [number, number] => {
								const from = end + (gap % 7);
								end = from + 1 + (len % 5);
								return [from, end - from];
							});
					const all: [number, number][] = [];
					for (let i = 0; i < repeat; i++) all.push(...laid);
					return [client, reverse ? all.reverse() : all] as [number, [number, number][]];
				});
				const update = craftUpdate(runs === null ? [] : runsOf(runs), deleteSet);
				const { failure, verdict } = runFuzzCase(world, { seed: 0, kind: 'property', user: user as 'carol' | 'alice', update });
				expect(failure).toBeNull();
				const key = verdict === null ? 'threw' : verdict.ok ? 'ok' : verdict.rule;
				verdicts.set(key, (verdicts.get(key) ?? 0) + 1);
			}),
			{ seed: 8, numRuns: 150 }
		);
		console.log('verdicts:', Object.fromEntries([...verdicts].sort()));
		// both sides reached: accepted updates (applied and measured) and the bound rules
		expect(verdicts.get('ok') ?? 0).toBeGreaterThan(10);
		expect(verdicts.get('L2') ?? 0).toBeGreaterThan(10);
	});
});
