/**
 * L1–L7 under seeded adversarial updates (update-fuzz.ts): the same invariants `npm run fuzz`
 * checks over 10^5 frames, here on a fixed slice of seeds plus every seed it once saw fail.
 */
import { describe, expect, it } from 'vitest';
import regressions from './fuzz-regressions.json' with { type: 'json' };
import { fuzzCase, fuzzWorld, runFuzzCase, type FuzzCase } from './update-fuzz.js';

/** What `npm run fuzz` saves for a failing case: its seed, and its bytes when small. */
interface Regression {
	seed: number;
	failure: string;
	user?: 'carol' | 'alice';
	base64?: string;
}

const SEEDS = 500;

describe('checkUpdate: adversarial updates', () => {
	const world = fuzzWorld();

	it(`[L1][L2][L3][L4][L5][L6][L7] ${SEEDS} seeded updates: steps linear in bytes and document, accepted ones apply cleanly`, () => {
		const kinds = new Map<string, number>();
		let accepted = 0;
		for (let seed = 1; seed <= SEEDS; seed++) {
			const c = fuzzCase(seed, world);
			const { failure, verdict } = runFuzzCase(world, c);
			expect(failure, `seed ${seed} (${c.kind})`).toBeNull();
			const key = verdict?.ok ? 'ok' : (verdict?.rule ?? 'threw');
			kinds.set(key, (kinds.get(key) ?? 0) + 1);
			if (verdict?.ok) accepted++;
		}
		console.log('verdicts:', Object.fromEntries([...kinds].sort()));
		// the generator must reach both sides and the bound rules, or it proves little
		expect(accepted).toBeGreaterThan(20);
		for (const rule of ['L1', 'L2', 'L3', 'R22']) expect(kinds.get(rule) ?? 0, rule).toBeGreaterThan(0);
	});

	for (const r of regressions as Regression[]) {
		it(`[L1][L2] replays fuzz regression seed ${r.seed} (${r.failure})`, () => {
			const c: FuzzCase =
				r.base64 !== undefined
					? { seed: r.seed, kind: 'saved', user: r.user ?? 'carol', update: new Uint8Array(Buffer.from(r.base64, 'base64')) }
					: fuzzCase(r.seed, world);
			expect(runFuzzCase(world, c).failure).toBeNull();
		});
	}
});
