/**
 * R21–R23, L5, L6: what an update's delete set may delete. Stock clients send their whole delete
 * set in sync step 2, other users' legitimate deletions included, so re-deleting what the server
 * has already deleted counts for nothing; only ranges the server still has live are judged.
 * The ranges come normalized (delete-ranges.ts: sorted, disjoint), so each struct of the server
 * is visited at most once; an item is judged before any of its message ids is collected.
 */
import * as Y from 'yjs';
import type { WriteContext } from './context.js';
import { inRanges, type ClockRange } from './delete-ranges.js';
import { findNew, newEnd, type ReadUpdate } from './read-update.js';
import { refuse } from './refusal.js';
import { rootNameOf, rootTypeNames, type RootType } from './resolve-parent.js';
import { isKnownRoot, isModerator, keyVerdict, type AuthorOf } from './rules.js';
import { CONVERSATION_ROOTS, ROOT_TYPES, SYNC_LIMITS, type RootName } from './schema.js';
import { isPlainObject } from './validate.js';
import { searchSteps, type WorkMeter } from './work.js';

/** What the delete set removes. */
export interface DeleteOutcome {
	/** ids of envelopes deleted (server-held ones and ones this update adds) */
	deleted: string[];
	/** whether clock `clock` of `client`, new in this update, is deleted by the update itself */
	deletesNew(client: number, clock: number): boolean;
}

/** Ids of the envelopes among `values` (items of `messages`). */
function envelopeIds(values: unknown[], out: string[]): void {
	for (const v of values) if (isPlainObject(v) && typeof v.id === 'string') out.push(v.id);
}

/** The values of clocks [from, to) of item `item`, or [] when it holds no plain values. */
function valuesIn(item: Y.Item, from: number, to: number): unknown[] {
	const c = item.content;
	return c instanceof Y.ContentAny ? c.arr.slice(from - item.id.clock, to - item.id.clock) : [];
}

/** Counts what the update deletes of live content, against L5 and L6. */
class LiveBudget {
	ranges = 0;
	ids = 0;

	/** One more (merged) range reaches live or new content. */
	range(client: number, from: number): void {
		if (++this.ranges > SYNC_LIMITS.maxLiveDeleteRanges) {
			refuse('L5', `more than ${SYNC_LIMITS.maxLiveDeleteRanges} delete ranges reach live items (at ${client}:${from})`);
		}
	}

	/** `n` more live clocks deleted; checked before their values are read. */
	clocks(client: number, from: number, n: number): void {
		this.ids += n;
		if (this.ids > SYNC_LIMITS.maxLiveDeletedIds) {
			refuse('L6', `more than ${SYNC_LIMITS.maxLiveDeletedIds} live ids deleted (at ${client}:${from})`);
		}
	}
}

/** R23: may the sender delete clocks [from, to) of the live server item `item`? Collects envelope ids if so. */
function judge(
	item: Y.Item,
	from: number,
	to: number,
	ctx: WriteContext,
	authorOf: AuthorOf,
	root: string | undefined,
	deleted: string[],
	meter: WorkMeter
): void {
	if (ctx.kind === 'inbox') refuse('R23', 'the inbox is written by the server only');
	const client = item.id.client;
	const own = ctx.isServerClient?.(client) !== true && ctx.clientOwner(client) === ctx.userId;
	const writable: RootName | null = root !== undefined && isKnownRoot(root) && ROOT_TYPES[root].clientWritable ? root : null;
	if (!own && writable === null) refuse('R23', `delete in server-only or unknown type (item ${client}:${from})`);
	if (root === CONVERSATION_ROOTS.messages) {
		const values = valuesIn(item, from, to);
		meter.steps += values.length;
		if (!own && !isModerator(ctx.role)) {
			if (values.length === 0) refuse('R23', `delete of another user's item ${client}:${from}`);
			for (const v of values) {
				// a system notice names its actor as author, yet it is the server's record: moderators only
				if (isPlainObject(v) && v.kind === 'system') refuse('R23', `delete of a system notice (item ${client}:${from})`);
				if (!isPlainObject(v) || v.author !== ctx.userId) refuse('R23', `delete of another user's message (item ${client}:${from})`);
			}
		}
		envelopeIds(values, deleted);
		return;
	}
	if (own || writable === null) return;
	const key = item.parentSub;
	if (key === null) refuse('R23', `delete of an unkeyed item in map "${root}"`);
	// overwriting and deleting a key are the same right (R15–R19)
	const verdict = keyVerdict(ctx, authorOf, writable, key, { waiveExistence: false });
	if (verdict !== null) refuse('R23', `delete of "${root}" key ${key}: ${verdict.reason}`);
}

/** Checks the normalized delete set `ranges` of `read` against the server's `doc` (new structs must be resolved). */
export function checkDeleteSet(
	doc: Y.Doc,
	read: ReadUpdate,
	ranges: Map<number, ClockRange[]>,
	ctx: WriteContext,
	authorOf: AuthorOf,
	meter: WorkMeter
): DeleteOutcome {
	const deleted: string[] = [];
	const newRanges = new Map<number, ClockRange[]>();
	const rootNames: Map<RootType, string> = rootTypeNames(doc);
	const budget = new LiveBudget();

	for (const [client, list] of ranges) {
		const state = Y.getState(doc.store, client);
		const end = newEnd(read, client, state);
		const structs = doc.store.clients.get(client);
		for (const { from: clock, to: rangeEnd } of list) {
			meter.steps++;
			// a delete of clocks nobody has yet would wait as pending: a delete of someone's next item
			if (rangeEnd > end) refuse('R22', `delete of missing items ${client}:${Math.max(clock, end)}..${rangeEnd}`);
			let live = false;
			if (clock < state && structs !== undefined) {
				const stop = Math.min(rangeEnd, state);
				meter.steps += searchSteps(structs.length);
				// disjoint ranges: over the whole delete set this walk visits each struct at most once (+1 per range)
				for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
					const s = structs[i];
					meter.steps++;
					if (s === undefined || s.id.clock >= stop) break;
					if (!(s instanceof Y.Item) || s.deleted) continue; // R21: already gone, costs nothing
					const from = Math.max(clock, s.id.clock);
					const to = Math.min(stop, s.id.clock + s.length);
					if (!live) budget.range(client, clock);
					live = true;
					budget.clocks(client, from, to - from);
					judge(s, from, to, ctx, authorOf, rootNameOf(s, rootNames), deleted, meter);
				}
			}
			if (rangeEnd > state) {
				// the sender's own new items (R5 holds): allowed; remember envelopes for the projection
				const from = Math.max(clock, state);
				if (!live) budget.range(client, from);
				let own = newRanges.get(client);
				if (own === undefined) newRanges.set(client, (own = []));
				own.push({ from, to: rangeEnd });
				for (let c = from; c < rangeEnd;) {
					const ns = findNew(read, client, c);
					meter.steps += searchSteps(read.byClient.get(client)?.length ?? 0);
					if (ns === undefined) break; // cannot happen: [state, end) is covered by new structs
					const to = Math.min(rangeEnd, ns.end);
					if (ns.placement?.root === CONVERSATION_ROOTS.messages) {
						const values = valuesIn(ns.item, c, to);
						meter.steps += values.length;
						envelopeIds(values, deleted);
					}
					c = to;
				}
			}
		}
	}
	return {
		deleted,
		// newRanges keeps each client's ranges sorted and disjoint: a binary search per question
		deletesNew: (client, clock) => inRanges(newRanges.get(client), clock)
	};
}
