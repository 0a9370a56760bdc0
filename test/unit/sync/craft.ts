/**
 * Hand-written Yjs v1 updates for the cases a stock client never produces (malformed runs,
 * Skip/GC structs, forged references, pending deletes). Format: yjs/src/utils/encoding.js.
 */
import * as encoding from 'lib0/encoding';

/** An id on the wire. */
export interface WireId {
	client: number;
	clock: number;
}

/** One struct of a crafted run. */
export type CraftStruct =
	| { gc: number }
	| { skip: number }
	| {
			origin?: WireId;
			rightOrigin?: WireId;
			/** written only when neither origin nor rightOrigin: a root name, or a nested type's id */
			parent?: string | WireId;
			parentSub?: string;
			/** ContentAny values, or { deleted: n } for ContentDeleted, or a raw content ref (e.g. 2 = JSON, 6 = Format) */
			content: unknown[] | { deleted: number } | { ref: number; write(e: encoding.Encoder): void };
	  };

/** A run of structs of one client, starting at `clock`. */
export interface CraftRun {
	client: number;
	clock: number;
	structs: CraftStruct[];
}

const BIT8 = 128; // origin present
const BIT7 = 64; // rightOrigin present
const BIT6 = 32; // parentSub present
const REF_DELETED = 1;
const REF_ANY = 8;
const INFO_SKIP = 10;

function writeId(e: encoding.Encoder, id: WireId): void {
	encoding.writeVarUint(e, id.client);
	encoding.writeVarUint(e, id.clock);
}

/** Encodes runs and a delete set (client → [clock, len][]) as a Yjs v1 update. */
export function craftUpdate(runs: CraftRun[], ds: [number, [number, number][]][] = []): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, runs.length);
	for (const run of runs) {
		encoding.writeVarUint(e, run.structs.length);
		encoding.writeVarUint(e, run.client);
		encoding.writeVarUint(e, run.clock);
		for (const s of run.structs) {
			if ('gc' in s) {
				encoding.writeUint8(e, 0);
				encoding.writeVarUint(e, s.gc);
				continue;
			}
			if ('skip' in s) {
				encoding.writeUint8(e, INFO_SKIP);
				encoding.writeVarUint(e, s.skip);
				continue;
			}
			const c = s.content;
			const ref = Array.isArray(c) ? REF_ANY : 'deleted' in c ? REF_DELETED : c.ref;
			const hasParentInfo = s.origin === undefined && s.rightOrigin === undefined;
			const info = ref | (s.origin ? BIT8 : 0) | (s.rightOrigin ? BIT7 : 0) | (s.parentSub !== undefined ? BIT6 : 0);
			encoding.writeUint8(e, info);
			if (s.origin) writeId(e, s.origin);
			if (s.rightOrigin) writeId(e, s.rightOrigin);
			if (hasParentInfo) {
				if (typeof s.parent === 'string') {
					encoding.writeVarUint(e, 1);
					encoding.writeVarString(e, s.parent);
				} else {
					encoding.writeVarUint(e, 0);
					writeId(e, s.parent ?? { client: 0, clock: 0 });
				}
				if (s.parentSub !== undefined) encoding.writeVarString(e, s.parentSub);
			}
			if (Array.isArray(c)) {
				encoding.writeVarUint(e, c.length);
				for (const v of c) encoding.writeAny(e, v as Parameters<typeof encoding.writeAny>[1]);
			} else if ('deleted' in c) {
				encoding.writeVarUint(e, c.deleted);
			} else {
				c.write(e);
			}
		}
	}
	encoding.writeVarUint(e, ds.length);
	for (const [client, ranges] of ds) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, ranges.length);
		for (const [clock, len] of ranges) {
			encoding.writeVarUint(e, clock);
			encoding.writeVarUint(e, len);
		}
	}
	return encoding.toUint8Array(e);
}
