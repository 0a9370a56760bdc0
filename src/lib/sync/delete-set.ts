/**
 * R21–R23: what an update's delete set may delete. Stock clients send their whole delete set in
 * sync step 2, other users' legitimate deletions included, so re-deleting what the server has
 * already deleted counts for nothing; only ranges the server still has live are judged.
 */
import * as Y from 'yjs';
import type { WriteContext } from './context.js';
import { findNew, newEnd, type ReadUpdate } from './read-update.js';
import { refuse } from './refusal.js';
import { rootNameOf, rootTypeNames } from './resolve-parent.js';
import { isKnownRoot, isModerator, keyVerdict, type AuthorOf } from './rules.js';
import { CONVERSATION_ROOTS, ROOT_TYPES } from './schema.js';
import { isPlainObject } from './validate.js';

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

/** Checks the delete set of `read` against the server's `doc` (new structs must be resolved). */
export function checkDeleteSet(doc: Y.Doc, read: ReadUpdate, ctx: WriteContext, authorOf: AuthorOf): DeleteOutcome {
	const deleted: string[] = [];
	const newRanges: { client: number; from: number; to: number }[] = [];
	const rootNames = rootTypeNames(doc);

	/** R23: may the sender delete clocks [from, to) of the live server item `item`? */
	const judge = (item: Y.Item, from: number, to: number): void => {
		const root = rootNameOf(item, rootNames);
		const values = valuesIn(item, from, to);
		if (root === CONVERSATION_ROOTS.messages) envelopeIds(values, deleted);
		if (ctx.kind === 'inbox') refuse('R23', 'the inbox is written by the server only');
		const client = item.id.client;
		const own = ctx.isServerClient?.(client) !== true && ctx.clientOwner(client) === ctx.userId;
		if (own) return;
		if (root === undefined || !isKnownRoot(root) || !ROOT_TYPES[root].clientWritable) {
			refuse('R23', `delete in server-only or unknown type (item ${client}:${from})`);
		}
		if (root === CONVERSATION_ROOTS.messages) {
			if (isModerator(ctx.role)) return;
			// a system notice names its actor as author, yet it is the server's record: moderators only
			if (values.some((v) => isPlainObject(v) && v.kind === 'system')) refuse('R23', `delete of a system notice (item ${client}:${from})`);
			for (const v of values) {
				if (!isPlainObject(v) || v.author !== ctx.userId) refuse('R23', `delete of another user's message (item ${client}:${from})`);
			}
			if (values.length === 0) refuse('R23', `delete of another user's item ${client}:${from}`);
			return;
		}
		const key = item.parentSub;
		if (key === null) refuse('R23', `delete of an unkeyed item in map "${root}"`);
		// overwriting and deleting a key are the same right (R15–R19)
		const verdict = keyVerdict(ctx, authorOf, root, key, { waiveExistence: false });
		if (verdict !== null) refuse('R23', `delete of "${root}" key ${key}: ${verdict.reason}`);
	};

	for (const [client, ranges] of read.ds.clients) {
		const state = Y.getState(doc.store, client);
		const end = newEnd(read, client, state);
		const structs = doc.store.clients.get(client);
		for (const { clock, len } of ranges) {
			const rangeEnd = clock + len;
			// a delete of clocks nobody has yet would wait as pending: a delete of someone's next item
			if (rangeEnd > end) refuse('R22', `delete of missing items ${client}:${Math.max(clock, end)}..${rangeEnd}`);
			if (clock < state && structs !== undefined) {
				const stop = Math.min(rangeEnd, state);
				for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
					const s = structs[i];
					if (s === undefined || s.id.clock >= stop) break;
					if (!(s instanceof Y.Item) || s.deleted) continue; // R21: already gone, costs nothing
					judge(s, Math.max(clock, s.id.clock), Math.min(stop, s.id.clock + s.length));
				}
			}
			if (rangeEnd > state) {
				// the sender's own new items (R5 holds): allowed; remember envelopes for the projection
				const from = Math.max(clock, state);
				newRanges.push({ client, from, to: rangeEnd });
				for (let c = from; c < rangeEnd; ) {
					const ns = findNew(read, client, c);
					if (ns === undefined) break; // cannot happen: [state, end) is covered by new structs
					const to = Math.min(rangeEnd, ns.end);
					if (ns.placement?.root === CONVERSATION_ROOTS.messages) envelopeIds(valuesIn(ns.item, c, to), deleted);
					c = to;
				}
			}
		}
	}
	return {
		deleted,
		deletesNew: (client, clock) => newRanges.some((r) => r.client === client && clock >= r.from && clock < r.to)
	};
}
