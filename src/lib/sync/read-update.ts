/**
 * Decodes an update and keeps what is new to the server: the part of each struct beyond the
 * server's state for its client. Enforces R2 (decodable, one run per client), R3 (no gap, no
 * Skip), R4 (GC only over known ranges) and R6 (content whitelist).
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { Refusal, refuse } from './refusal.js';
import { scanUpdate } from './scan-update.js';
import { isKnownRoot } from './rules.js';
import { SYNC_LIMITS } from './schema.js';
import type { WorkMeter } from './work.js';

/** Where a new item goes: a root type name and, for a map, the key (null in an array). */
export interface Placement {
	root: string;
	key: string | null;
}

/** Resolution progress of a NewStruct (see resolve-parent.ts). */
export const Visit = { Unvisited: 0, Visiting: 1, Done: 2 } as const;
/** One of Visit's values. */
export type VisitState = (typeof Visit)[keyof typeof Visit];

/** The delete set of a decoded update (Yjs does not export the class's type by name). */
export type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** An item of the update with at least one clock the server does not have yet. */
export interface NewStruct {
	/** the decoded item: not integrated, `parent`/`parentSub` as on the wire */
	readonly item: Y.Item;
	readonly client: number;
	/** first new clock: item.id.clock + offset */
	readonly start: number;
	/** clock after the item */
	readonly end: number;
	/** how many of the item's leading clocks the server already has */
	readonly offset: number;
	/** the previous new struct of the same client (Yjs integrates a client's structs in order) */
	readonly prev: NewStruct | null;
	/** filled by resolvePlacements */
	placement: Placement | null;
	visit: VisitState;
}

/** The new part of an update, plus its delete set. */
export interface ReadUpdate {
	/** new items in update order */
	readonly structs: NewStruct[];
	/** new items per client, in clock order */
	readonly byClient: Map<number, NewStruct[]>;
	/** the update's delete set: client → ranges */
	readonly ds: DeleteSet;
}

/** The struct kinds decodeUpdate yields (Skip is not in Yjs's declared union). */
type AnyStruct = Y.Item | Y.GC | Y.Skip;

/** Decodes `update` against the server's `doc` (read only) and keeps the new items. */
export function readUpdate(doc: Y.Doc, update: Uint8Array, meter: WorkMeter): ReadUpdate {
	let decoded: { structs: AnyStruct[]; ds: DeleteSet };
	try {
		// L1, L3, R6 before Yjs builds an object for every struct and range (scan-update.ts)
		scanUpdate(update, meter);
		decoded = Y.decodeUpdate(update) as { structs: AnyStruct[]; ds: DeleteSet };
	} catch (e) {
		if (e instanceof Refusal) throw e;
		refuse('R2', `undecodable update: ${e instanceof Error ? e.message : String(e)}`);
	}
	// L3: decoding is linear in the bytes; what follows (resolving, integrating) is per struct
	if (decoded.structs.length > SYNC_LIMITS.maxStructs)
		refuse('L3', `${decoded.structs.length} structs (at most ${SYNC_LIMITS.maxStructs})`);
	const structs: NewStruct[] = [];
	const byClient = new Map<number, NewStruct[]>();
	const finished = new Set<number>();
	let current: number | null = null;
	let state = 0;
	let runs = 0;
	for (const s of decoded.structs) {
		meter.steps++;
		const client = s.id.client;
		if (client !== current) {
			// Yjs keeps only the last run of a client listed twice (Map.set): refuse the ambiguity
			if (finished.has(client)) refuse('R2', `client ${client} appears twice in the update`);
			if (current !== null) finished.add(current);
			current = client;
			runs++;
			state = Y.getState(doc.store, client);
			// a run starting beyond the server's state would be kept pending and shipped to every fresh client
			if (s.id.clock > state) refuse('R3', `gap: client ${client} starts at ${s.id.clock}, server has ${state}`);
		}
		if (s instanceof Y.Skip) refuse('R3', 'Skip struct (the update has a hole)');
		// Yjs never encodes an empty struct, yet would integrate one and corrupt its clock index
		if (s.length <= 0) refuse('R2', `empty struct of client ${client}`);
		const end = s.id.clock + s.length;
		if (end <= state) {
			// entirely known: Yjs does not integrate it, but still resolves its references first
			if (s instanceof Y.Item) checkKnownItem(doc, s);
			continue;
		}
		if (s instanceof Y.GC) refuse('R4', `GC struct over clocks the server does not have (client ${client})`);
		checkContent(s);
		const offset = Math.max(0, state - s.id.clock);
		let list = byClient.get(client);
		if (list === undefined) byClient.set(client, (list = []));
		const prev = list[list.length - 1] ?? null;
		const ns: NewStruct = { item: s, client, start: s.id.clock + offset, end, offset, prev, placement: null, visit: Visit.Unvisited };
		structs.push(ns);
		list.push(ns);
	}
	// decodeUpdate flattens runs: two back-to-back runs of one client, or an empty run (which
	// would replace a client's earlier run inside Yjs), only show in the header's run count
	if (decoding.readVarUint(decoding.createDecoder(update)) !== runs) refuse('R2', 'a client run is repeated or empty');
	return { structs, byClient, ds: decoded.ds };
}

/**
 * R7, R8 for an item the server already has. Yjs skips its content but, before that, creates
 * the root type it names (doc.get) and looks up its neighbours: a forged neighbour the server
 * lacks would park the copy as pending (shipped to every fresh client), a forged same-client one
 * would throw halfway through applying. A true copy only names what the server has.
 */
function checkKnownItem(doc: Y.Doc, item: Y.Item): void {
	const parent = item.parent as unknown; // on the wire: a root name, a nested type's id, or null
	if (typeof parent === 'string' && !isKnownRoot(parent)) refuse('R8', `unknown root type "${parent}"`);
	if (parent !== null && typeof parent !== 'string') refuse('R7', 'known item claims a nested parent');
	for (const ref of [item.origin, item.rightOrigin]) {
		if (ref === null) continue;
		const known = ref.client === item.id.client ? ref.clock < item.id.clock : ref.clock < Y.getState(doc.store, ref.client);
		if (!known) refuse('R7', `known item ${item.id.client}:${item.id.clock} refers to missing ${ref.client}:${ref.clock}`);
	}
}

/** R6: a new item carries plain values (ContentAny) or nothing (ContentDeleted), never a type, text or binary. */
function checkContent(item: Y.Item): void {
	const c = item.content;
	if (c instanceof Y.ContentAny || c instanceof Y.ContentDeleted) return;
	refuse('R6', `content ${c.constructor.name} is not allowed (only plain values)`);
}

/** The new struct holding `clock` of `client` in this update, or undefined. */
export function findNew(read: ReadUpdate, client: number, clock: number): NewStruct | undefined {
	const list = read.byClient.get(client);
	if (list === undefined) return undefined;
	let lo = 0;
	let hi = list.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const ns = list[mid];
		if (ns === undefined) return undefined;
		if (clock < ns.start) hi = mid - 1;
		else if (clock >= ns.end) lo = mid + 1;
		else return ns;
	}
	return undefined;
}

/** The clock after the last new struct of `client` in this update, or `fallback` if none. */
export function newEnd(read: ReadUpdate, client: number, fallback: number): number {
	const list = read.byClient.get(client);
	return list?.[list.length - 1]?.end ?? fallback;
}
