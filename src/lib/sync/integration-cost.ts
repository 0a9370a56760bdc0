/**
 * L7: what integrating the new items will cost Yjs. An item lands between its origin and its
 * rightOrigin; when other items lie between them, Yjs walks over them to order concurrent inserts
 * (YATA). An item placed after the first message of a long conversation with no right neighbour
 * makes Yjs walk the whole list, so 2 000 such items in one update over 5 000 messages stalled
 * applying for ~4 s. Honest items pay only for what others inserted at the same place
 * concurrently (e.g. messages that arrived while the sender was offline). This counts that walk
 * over the server's list, with a budget per update, before anything is applied; the walk itself
 * stops when the budget runs out.
 */
import * as Y from 'yjs';
import { findNew, type NewStruct, type ReadUpdate } from './read-update.js';
import { refuse } from './refusal.js';
import { SYNC_LIMITS } from './schema.js';
import { searchSteps, type WorkMeter } from './work.js';

/** The server's item holding `id`, or undefined when the server does not have it. */
function serverItem(doc: Y.Doc, id: Y.ID, meter: WorkMeter): Y.Item | undefined {
	if (id.clock >= Y.getState(doc.store, id.client)) return undefined;
	const structs = doc.store.clients.get(id.client);
	if (structs === undefined) return undefined;
	meter.steps += searchSteps(structs.length);
	const s = structs[Y.findIndexSS(structs, id.clock)];
	return s instanceof Y.Item ? s : undefined;
}

/** Refuses (L7) once the update's items would make Yjs walk more than the budget. */
class Budget {
	left: number = SYNC_LIMITS.maxIntegrationScan;
	constructor(private readonly meter: WorkMeter) {}
	spend(n: number, ns: NewStruct): void {
		this.meter.steps += n;
		this.left -= n;
		if (this.left < 0)
			refuse(
				'L7',
				`items land too far from their neighbours (item ${ns.client}:${ns.start}; more than ${SYNC_LIMITS.maxIntegrationScan} items to walk)`
			);
	}
}

/** Checks L7 for every new struct of `read` (placements must be resolved). */
export function checkIntegrationCost(doc: Y.Doc, read: ReadUpdate, meter: WorkMeter): void {
	const budget = new Budget(meter);
	/** server item after which each new struct lands (null: the start), memoized: chains are walked once */
	const anchors = new Map<NewStruct, Y.Item | null>();
	/** new structs seen per new origin: each sibling walks over the earlier ones */
	const siblings = new Map<NewStruct, number>();

	const anchorOf = (ns: NewStruct): Y.Item | null => {
		const chain: NewStruct[] = [];
		let cur: NewStruct | undefined = ns;
		let found: Y.Item | null = null;
		while (cur !== undefined) {
			const known = anchors.get(cur);
			if (known !== undefined) {
				found = known;
				break;
			}
			chain.push(cur);
			budget.spend(1, ns);
			const left = leftId(cur);
			if (left === null) break;
			const server = serverItem(doc, left, meter);
			if (server !== undefined) {
				found = server;
				break;
			}
			cur = findNew(read, left.client, left.clock);
		}
		for (const c of chain) anchors.set(c, found);
		return found;
	};

	for (const ns of read.structs) {
		const placement = ns.placement;
		if (placement === null) continue; // refused by R7 already
		const type = doc.share.get(placement.root);
		const left = leftId(ns);
		const leftServer = left === null ? undefined : serverItem(doc, left, meter);
		if (left !== null && leftServer === undefined) {
			// lands after another new item: Yjs walks only over new items there (a server item's
			// origin is never new), i.e. over the earlier new items with the same origin
			const origin = findNew(read, left.client, left.clock);
			if (origin === undefined) continue;
			const seen = siblings.get(origin) ?? 0;
			siblings.set(origin, seen + 1);
			budget.spend(seen, ns);
			continue;
		}
		/** the first item of the list the item goes into (a map key's list: Yjs walks to it too) */
		const listStart = (): Y.Item | null => {
			if (placement.key === null) return type?._start ?? null;
			let first = type?._map.get(placement.key) ?? null;
			while (first !== null && first.left !== null) {
				budget.spend(1, ns);
				first = first.left;
			}
			return first;
		};
		// where the walk stops: the rightOrigin's item, or the server item after where a new rightOrigin lands
		const rightRef = ns.item.rightOrigin;
		let stop: Y.Item | null = null;
		if (rightRef !== null) {
			const rightServer = serverItem(doc, rightRef, meter);
			if (rightServer !== undefined) stop = rightServer;
			else {
				const rightNew = findNew(read, rightRef.client, rightRef.clock);
				if (rightNew === undefined) continue; // refused by R7 already
				const anchor = anchorOf(rightNew);
				stop = anchor === null ? listStart() : anchor.right;
			}
		}
		const from = leftServer !== undefined ? leftServer.right : listStart();
		for (let o = from; o !== null && o !== stop; o = o.right) budget.spend(1, ns);
	}
}

/** The id the item will be integrated after: its origin, or for a struct overlapping the server, its own head. */
function leftId(ns: NewStruct): Y.ID | null {
	return ns.offset > 0 ? Y.createID(ns.client, ns.start - 1) : ns.item.origin;
}
