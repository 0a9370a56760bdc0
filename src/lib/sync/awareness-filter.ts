/**
 * Awareness (presence, typing) is only about the sender (SPEC §6): keep the entries of an
 * awareness update that are this connection's own and speak for its user, drop the rest.
 * Rules A1–A4 of docs/sync-rules.md.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { isPlainObject, utf8Length } from './validate.js';

/** Limits of awareness frames; each keeps one connection from flooding every peer of a document. */
export const AWARENESS_LIMITS = {
	/** one state's JSON (user, cursor, typing flag), in UTF-8 bytes */
	maxStateBytes: 4 * 1024,

	/** awareness client ids one connection may claim (a stock provider has exactly one) */
	maxClientIdsPerConnection: 1
} as const;

/** Who sent an awareness frame and which awareness client ids its connection owns. */
export interface AwarenessSender {
	userId: string;
	/** client ids this connection owns (claimed earlier, or Yjs client ids it bound) */
	clientIds: ReadonlySet<number>;
	/**
	 * Asks the relay to give `clientId` to this connection; true if it did (it must answer false
	 * when another connection, or a Yjs binding of another user, holds that id) and then include
	 * it in `clientIds` from now on.
	 */
	claim(clientId: number): boolean;
}

/** The filtered frame: null when nothing is left to apply and pass on. */
export interface AwarenessFilterResult {
	update: Uint8Array | null;
	/** entries removed */
	dropped: number;
	/** the frame did not decode: the relay closes the connection (A4) */
	malformed: boolean;
}

interface Entry {
	clientId: number;
	clock: number;
	json: string;
}

function decodeEntries(update: Uint8Array): Entry[] | null {
	try {
		const decoder = decoding.createDecoder(update);
		// No cap on the count: a stock client echoes every state it hears (an inbox hears one per
		// person its owner may see), and the frame-size limit already bounds the work. Only the
		// sender's own entries survive A1.
		const n = decoding.readVarUint(decoder);
		const entries: Entry[] = [];
		for (let i = 0; i < n; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			entries.push({ clientId, clock, json: decoding.readVarString(decoder) });
		}
		return decoding.hasContent(decoder) ? null : entries;
	} catch {
		return null;
	}
}

/** A2, A3: the state JSON to pass on for `userId`, or null to drop the entry. */
function filterState(json: string, userId: string): string | null {
	if (utf8Length(json) > AWARENESS_LIMITS.maxStateBytes) return null;
	let state: unknown;
	try {
		state = JSON.parse(json);
	} catch {
		return null;
	}
	if (state === null) return 'null'; // "this client left": always about the sender's own id (A1)
	if (!isPlainObject(state)) return null;
	const user = state.user;
	if (user === undefined) return JSON.stringify({ ...state, user: { id: userId } });
	if (!isPlainObject(user)) return null;
	// A3: a state naming another user is dropped, not corrected: its name/colour would still lie
	if (user.id !== undefined) return user.id === userId ? json : null;
	return JSON.stringify({ ...state, user: { ...user, id: userId } });
}

/**
 * Filters an encoded awareness update (y-protocols: varUint n, then n × (varUint clientID,
 * varUint clock, varString JSON state)) from `sender` and re-encodes what is left.
 */
export function filterAwarenessUpdate(update: Uint8Array, sender: AwarenessSender): AwarenessFilterResult {
	const entries = decodeEntries(update);
	if (entries === null) return { update: null, dropped: 0, malformed: true };
	const kept: Entry[] = [];
	// read once: the relay's claim() may add to the very set it passed in
	const ownedBefore = sender.clientIds.size;
	const claimed = new Set<number>();
	for (const e of entries) {
		// A1: its own ids only; an unknown id is claimed while the connection has none yet
		let owned = sender.clientIds.has(e.clientId) || claimed.has(e.clientId);
		if (!owned && ownedBefore + claimed.size < AWARENESS_LIMITS.maxClientIdsPerConnection && sender.claim(e.clientId)) {
			owned = true;
			claimed.add(e.clientId);
		}
		if (!owned) continue;
		const json = filterState(e.json, sender.userId);
		if (json !== null) kept.push({ ...e, json });
	}
	const dropped = entries.length - kept.length;
	if (kept.length === 0) return { update: null, dropped, malformed: false };
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, kept.length);
	for (const e of kept) {
		encoding.writeVarUint(encoder, e.clientId);
		encoding.writeVarUint(encoder, e.clock);
		encoding.writeVarString(encoder, e.json);
	}
	return { update: encoding.toUint8Array(encoder), dropped, malformed: false };
}
