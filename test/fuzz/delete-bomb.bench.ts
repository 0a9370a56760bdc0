/**
 * One-off measurement (not a test): how long checkUpdate takes to decide on delete-set bombs, and,
 * when it accepts one, how long Yjs takes to apply it. `CHECKER` may point at another copy of
 * src/lib/sync/check-update.ts (e.g. an older commit extracted elsewhere) to compare.
 * Run: npm run fuzz -- --bench [CHECKER=/path/to/check-update.ts]
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { checkUpdate as CheckUpdate } from '../../src/lib/sync/check-update.js';
import { deleteBomb, relayWithOwnMessages } from '../unit/sync/bombs.js';

const ITEMS = 3_000;
const CLIENT = 7_000;
/** repeats per variant; the old checker ran out of memory (live) or minutes (deleted) beyond these */
const REPEATS = (process.env.BOMB_REPEATS ?? '1000,10000,100000,300000').split(',').map(Number);
const LIVE_MAX = Number(process.env.BOMB_LIVE_MAX ?? Infinity);

describe('bench: delete-set bombs', () => {
	it('times the verdict (and the apply, if accepted)', async () => {
		const modulePath = process.env.CHECKER ?? '../../src/lib/sync/check-update.js';
		const { checkUpdate } = (await import(/* @vite-ignore */ modulePath)) as { checkUpdate: typeof CheckUpdate };
		const rows: Record<string, string | number>[] = [];
		for (const deleted of [false, true]) {
			const relay = relayWithOwnMessages(ITEMS, CLIENT, deleted);
			const snapshot = Y.encodeStateAsUpdate(relay.doc);
			for (const repeats of REPEATS) {
				if (!deleted && repeats > LIVE_MAX) continue;
				const update = deleteBomb(CLIENT, ITEMS, repeats);
				const start = performance.now();
				const verdict = checkUpdate(relay.doc, update, relay.ctx('carol'), relay.index);
				const decideMs = performance.now() - start;
				let applyMs = 0;
				if (verdict.ok) {
					const copy = new Y.Doc();
					Y.applyUpdate(copy, snapshot);
					const t = performance.now();
					Y.applyUpdate(copy, update);
					applyMs = performance.now() - t;
				}
				rows.push({
					items: deleted ? 'deleted' : 'live',
					repeats,
					bytes: update.length,
					verdict: verdict.ok ? 'accepted' : verdict.rule,
					decideMs: Math.round(decideMs * 10) / 10,
					applyMs: Math.round(applyMs)
				});
			}
		}
		console.table(rows);
		expect(rows.length).toBeGreaterThan(0);
	}, 3_600_000);
});
