/**
 * R7: where each new item lands, found exactly as Yjs finds it. An item carries `parent` and
 * `parentSub` on the wire only when it has neither `origin` nor `rightOrigin`; otherwise Yjs
 * copies them from the origin's item (else the rightOrigin's), which may be earlier in this
 * update or already in the server's document. Reading only the wire fields would let an
 * overwrite of someone else's map key (origin = the previous value) pass unseen.
 */
import * as Y from 'yjs';
import { findNew, Visit, type NewStruct, type Placement, type ReadUpdate } from './read-update.js';
import { refuse } from './refusal.js';
import { searchSteps, type WorkMeter } from './work.js';

/** What an id refers to: a struct the server has, or a new struct of this update. */
type Target = { server: Y.Item | Y.GC } | { fresh: NewStruct };

/** A root type of a document, as `doc.share` holds it. */
export type RootType = NonNullable<ReturnType<Y.Doc['share']['get']>>;

/** Root type → its name, for the few root types of `doc` (cheaper than Y.findRootTypeKey per item). */
export function rootTypeNames(doc: Y.Doc): Map<RootType, string> {
	const names = new Map<RootType, string>();
	for (const [name, type] of doc.share) names.set(type, name);
	return names;
}

/** The root type name of an integrated item's parent, or undefined if it is not a named root type. */
export function rootNameOf(item: Y.Item, names: Map<RootType, string>): string | undefined {
	// an integrated item's parent is its type (internal Yjs invariant); `_item === null` marks a root
	const parent = item.parent as RootType | null;
	if (parent === null || parent._item !== null) return undefined;
	return names.get(parent);
}

/** Resolves the placement of every new struct of `read` (mutates only `read`; `doc` is read). */
export function resolvePlacements(doc: Y.Doc, read: ReadUpdate, meter: WorkMeter): void {
	const resolver = new Resolver(doc, read, rootTypeNames(doc), meter);
	for (const ns of read.structs) resolver.resolve(ns);
}

class Resolver {
	constructor(
		private readonly doc: Y.Doc,
		private readonly read: ReadUpdate,
		private readonly rootNames: Map<RootType, string>,
		private readonly meter: WorkMeter
	) {}

	/** Depth-first over dependencies without recursion (an update may chain thousands of items). */
	resolve(first: NewStruct): void {
		if (first.visit === Visit.Done) return;
		const stack: NewStruct[] = [first];
		while (stack.length > 0) {
			// each struct is pushed once per dependency it is found through (at most 3): linear overall
			this.meter.steps++;
			const top = stack[stack.length - 1];
			if (top === undefined) break;
			if (top.visit === Visit.Done) {
				stack.pop();
				continue;
			}
			top.visit = Visit.Visiting;
			const next = this.pendingDependency(top);
			if (next === null) {
				top.placement = this.placementOf(top);
				top.visit = Visit.Done;
				stack.pop();
			} else {
				stack.push(next);
			}
		}
	}

	/**
	 * A new struct `ns` depends on that is not resolved yet, or null. Yjs integrates a client's
	 * structs in clock order, so the previous struct of the same client is a dependency too; a
	 * dependency already being visited is a cycle Yjs would park as pending forever.
	 */
	private pendingDependency(ns: NewStruct): NewStruct | null {
		const deps: (NewStruct | null)[] = [ns.prev];
		for (const ref of [ns.item.origin, ns.item.rightOrigin]) {
			if (ref === null) continue;
			// Yjs does not wait for same-client references (it assumes they are integrated): only
			// strictly earlier clocks are sound
			if (ref.client === ns.client && ref.clock >= ns.item.id.clock)
				refuse('R7', `item ${ns.client}:${ns.start} refers forward to ${ref.client}:${ref.clock}`);
			const t = this.locate(ref);
			if ('fresh' in t) deps.push(t.fresh);
		}
		for (const d of deps) {
			if (d === null || d.visit === Visit.Done) continue;
			if (d.visit === Visit.Visiting) refuse('R7', `cyclic references around item ${ns.client}:${ns.start}`);
			return d;
		}
		return null;
	}

	/** Finds what `id` names; refuses a reference to something neither side has (Yjs would keep it pending). */
	private locate(id: Y.ID): Target {
		if (id.clock < Y.getState(this.doc.store, id.client)) {
			const structs = this.doc.store.clients.get(id.client);
			this.meter.steps += searchSteps(structs?.length ?? 0);
			const struct = structs?.[Y.findIndexSS(structs, id.clock)];
			if (struct !== undefined) return { server: struct };
		}
		this.meter.steps += searchSteps(this.read.byClient.get(id.client)?.length ?? 0);
		const fresh = findNew(this.read, id.client, id.clock);
		if (fresh === undefined) refuse('R7', `reference to missing item ${id.client}:${id.clock}`);
		return { fresh };
	}

	private placementOfTarget(t: Target): Placement {
		if ('fresh' in t) {
			// dependencies are resolved first, so this is set
			if (t.fresh.placement === null) refuse('R7', 'unresolved reference');
			return t.fresh.placement;
		}
		return this.serverPlacement(t.server);
	}

	/** Placement of an item the server has; only items directly in a root type are acceptable. */
	private serverPlacement(s: Y.Item | Y.GC): Placement {
		// next to a GC struct Yjs would drop the item's content; our documents never hold GC structs
		if (!(s instanceof Y.Item)) refuse('R7', `neighbour ${s.id.client}:${s.id.clock} is garbage-collected`);
		const root = rootNameOf(s, this.rootNames);
		if (root === undefined) refuse('R7', 'neighbour is not in a named root type');
		return { root, key: s.parentSub };
	}

	private placementOf(ns: NewStruct): Placement {
		const { origin, rightOrigin, parentSub } = ns.item;
		let placement: Placement;
		if (origin !== null) {
			placement = this.placementOfTarget(this.locate(origin));
			if (rightOrigin !== null) {
				// Yjs takes the parent from the left only; a right neighbour elsewhere would splice two lists
				const right = this.placementOfTarget(this.locate(rightOrigin));
				if (right.root !== placement.root || right.key !== placement.key) refuse('R7', 'origin and rightOrigin disagree on parent');
			}
		} else if (rightOrigin !== null) {
			placement = this.placementOfTarget(this.locate(rightOrigin));
		} else {
			// on the wire: a root name (string) or the id of a nested type (decodeUpdate leaves either)
			const parent = ns.item.parent as unknown;
			if (typeof parent !== 'string') refuse('R7', 'parent is not a root type');
			placement = { root: parent, key: parentSub };
		}
		if (ns.offset > 0) {
			// Yjs integrates only the new tail, after the server's copy of the head: they must agree
			const head = this.locate(Y.createID(ns.client, ns.start - 1));
			const known = this.placementOfTarget(head);
			if (known.root !== placement.root || known.key !== placement.key) refuse('R7', 'overlapping struct disagrees with the server');
		}
		return placement;
	}
}
