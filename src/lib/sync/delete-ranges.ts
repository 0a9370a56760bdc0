/**
 * L1, L2: the shape of an update's delete set, checked before anything is looked up. Yjs applies
 * each range on its own, walking every struct it covers, so ranges that repeat or overlap make
 * applying cost ranges × items (one 1 MiB frame: minutes of CPU, or an out-of-memory abort in a
 * checker that expands them). Stock clients always send each client's ranges sorted, disjoint
 * and non-empty (Yjs merges them before encoding), so that is all this accepts.
 */
import type { DeleteSet } from './read-update.js';
import { refuse } from './refusal.js';
import { SYNC_LIMITS } from './schema.js';
import type { WorkMeter } from './work.js';

/** Clocks [from, to) of one client id. */
export interface ClockRange {
	from: number;
	to: number;
}

/**
 * The delete set as client → ranges sorted by clock, disjoint, adjacent ones merged: each clock
 * appears at most once, so walking the ranges visits each struct of the server at most once
 * (plus one per range). Refuses L1 (too many ranges) and L2 (empty, overlapping or unsafe).
 */
export function normalizeDeleteSet(ds: DeleteSet, meter: WorkMeter): Map<number, ClockRange[]> {
	let total = 0;
	for (const ranges of ds.clients.values()) total += ranges.length;
	meter.steps += ds.clients.size;
	// counted before sorting anything: refusing costs one pass over the clients
	if (total > SYNC_LIMITS.maxDeleteRanges) refuse('L1', `${total} delete ranges (at most ${SYNC_LIMITS.maxDeleteRanges})`);
	const out = new Map<number, ClockRange[]>();
	for (const [client, items] of ds.clients) {
		const ranges: ClockRange[] = [];
		let sorted = true;
		for (const { clock, len } of items) {
			meter.steps++;
			// an empty range deletes nothing yet makes Yjs split the item it points into
			if (len <= 0) refuse('L2', `empty delete range ${client}:${clock}`);
			const to = clock + len;
			if (!Number.isSafeInteger(to)) refuse('L2', `delete range ${client}:${clock} ends beyond 2^53`);
			const last = ranges[ranges.length - 1];
			if (last !== undefined && clock < last.from) sorted = false;
			ranges.push({ from: clock, to });
		}
		// stock clients send them sorted: only a forged update pays for sorting (at most L1 ranges)
		if (!sorted) {
			ranges.sort((a, b) => {
				meter.steps++;
				return a.from - b.from;
			});
		}
		out.set(client, mergeDisjoint(client, ranges, meter));
	}
	return out;
}

/** Merges adjacent ranges of sorted `ranges`; refuses overlapping ones (L2). */
function mergeDisjoint(client: number, ranges: ClockRange[], meter: WorkMeter): ClockRange[] {
	const merged: ClockRange[] = [];
	for (const r of ranges) {
		meter.steps++;
		const last = merged[merged.length - 1];
		if (last !== undefined && r.from < last.to) refuse('L2', `delete ranges of client ${client} overlap at clock ${r.from}`);
		if (last !== undefined && r.from === last.to) last.to = r.to;
		else merged.push({ ...r });
	}
	return merged;
}

/** Whether `clock` lies in one of `ranges` (sorted and disjoint): a binary search. */
export function inRanges(ranges: readonly ClockRange[] | undefined, clock: number): boolean {
	if (ranges === undefined) return false;
	let lo = 0;
	let hi = ranges.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const r = ranges[mid];
		if (r === undefined) return false;
		if (clock < r.from) hi = mid - 1;
		else if (clock >= r.to) lo = mid + 1;
		else return true;
	}
	return false;
}
