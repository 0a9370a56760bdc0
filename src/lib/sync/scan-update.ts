/**
 * A first pass over an update's bytes, before Yjs decodes it: counts structs (L3) and delete
 * ranges (L1), refuses a range overlapping the one before it (L2) and content other than plain
 * values (R6) at the first struct carrying it.
 * Y.decodeUpdate builds an object per struct and per range, and a whole Y.Doc per sub-document
 * item: one 1 MiB frame of 15-byte sub-document items took ~1.4 s to decode before anything
 * could refuse it. This pass allocates nothing but the plain values it skips.
 * Format: yjs/src/utils/UpdateDecoder.js (v1), as craft.ts in the tests writes it.
 */
import * as decoding from 'lib0/decoding';
import { refuse } from './refusal.js';
import { SYNC_LIMITS } from './schema.js';
import type { WorkMeter } from './work.js';

/** Low five bits of a struct's info byte: GC, Skip or the item's content kind. */
const BITS5 = 31;
const ORIGIN = 128;
const RIGHT_ORIGIN = 64;
const PARENT_SUB = 32;
const GC = 0;
const CONTENT_DELETED = 1;
const CONTENT_ANY = 8;
const SKIP = 10;

/** Yjs content kinds by number, for the refusal's reason. */
const CONTENT_NAMES: Record<number, string> = { 2: 'JSON', 3: 'Binary', 4: 'String', 5: 'Embed', 6: 'Format', 7: 'Type', 9: 'Doc' };

/** Refuses by L1, L2, L3 or R6 (and R3 for a Skip) what Yjs would otherwise decode whole first; malformed bytes throw. */
export function scanUpdate(update: Uint8Array, meter: WorkMeter): void {
	const d = decoding.createDecoder(update);
	let structs = 0;
	const clients = decoding.readVarUint(d);
	for (let c = 0; c < clients; c++) {
		const count = decoding.readVarUint(d);
		structs += count;
		if (structs > SYNC_LIMITS.maxStructs) refuse('L3', `more than ${SYNC_LIMITS.maxStructs} structs`);
		decoding.readVarUint(d); // client
		decoding.readVarUint(d); // clock
		for (let i = 0; i < count; i++) {
			meter.steps++;
			skipStruct(d);
		}
	}
	let ranges = 0;
	const dsClients = decoding.readVarUint(d);
	for (let c = 0; c < dsClients; c++) {
		meter.steps++;
		decoding.readVarUint(d); // client
		const count = decoding.readVarUint(d);
		ranges += count;
		if (ranges > SYNC_LIMITS.maxDeleteRanges) refuse('L1', `more than ${SYNC_LIMITS.maxDeleteRanges} delete ranges`);
		// the common bomb, a range overlapping the one before it, is refused here already (L2);
		// delete-ranges.ts sorts and checks the rest once Yjs has decoded them
		let from = -1;
		let to = -1;
		for (let i = 0; i < count; i++) {
			meter.steps++;
			const clock = decoding.readVarUint(d);
			const len = decoding.readVarUint(d);
			if (clock >= from && clock < to) refuse('L2', `delete ranges overlap at clock ${clock}`);
			from = clock;
			to = clock + len;
		}
	}
}

function skipStruct(d: decoding.Decoder): void {
	const info = decoding.readUint8(d);
	const kind = info & BITS5;
	if (kind === GC) {
		decoding.readVarUint(d);
		return;
	}
	if (kind === SKIP) refuse('R3', 'Skip struct (the update has a hole)');
	if (info & ORIGIN) skipId(d);
	if (info & RIGHT_ORIGIN) skipId(d);
	if ((info & (ORIGIN | RIGHT_ORIGIN)) === 0) {
		if (decoding.readVarUint(d) === 1) decoding.readVarString(d);
		else skipId(d);
		if (info & PARENT_SUB) decoding.readVarString(d);
	}
	if (kind === CONTENT_DELETED) {
		decoding.readVarUint(d);
		return;
	}
	if (kind !== CONTENT_ANY) refuse('R6', `content ${CONTENT_NAMES[kind] ?? kind} is not allowed (only plain values)`);
	const values = decoding.readVarUint(d);
	for (let i = 0; i < values; i++) decoding.readAny(d);
}

function skipId(d: decoding.Decoder): void {
	decoding.readVarUint(d);
	decoding.readVarUint(d);
}
