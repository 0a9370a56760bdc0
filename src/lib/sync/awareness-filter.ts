/**
 * Awareness (presence, typing) is only about the sender (SPEC §6): keep the entries of an
 * awareness update that are this connection's own and speak for its user, drop the rest.
 * Rules A1–A4 of docs/sync-rules.md; `limitAwareness` is A7 (what privacy leaves of a state).
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
	let triedClaim = false;
	for (const e of entries) {
		// A1: its own ids only; an unknown id is claimed while the connection has none yet
		let owned = sender.clientIds.has(e.clientId) || claimed.has(e.clientId);
		// At most one claim is tried per frame: each asks the relay, and a frame of many unknown ids
		// must not cost one question each.
		if (!owned && !triedClaim && ownedBefore + claimed.size < AWARENESS_LIMITS.maxClientIdsPerConnection) {
			triedClaim = true;
			if (sender.claim(e.clientId)) {
				owned = true;
				claimed.add(e.clientId);
			}
		}
		if (!owned) continue;
		const json = filterState(e.json, sender.userId);
		if (json !== null) kept.push({ ...e, json });
	}
	const dropped = entries.length - kept.length;
	if (kept.length === 0) return { update: null, dropped, malformed: false };
	return { update: encodeEntries(kept), dropped, malformed: false };
}

/** What `preFilterAwareness` keeps of a frame, or why it refused it. */
export interface AwarenessPrefilterResult {
	/** The entries that may concern the sender (null: none); re-encoded, still unparsed. */
	update: Uint8Array | null;
	malformed: boolean;
	/** More entries than `maxEntries`: the frame is dropped whole. */
	tooMany: boolean;
}

/**
 * A4/A1 before anything costly: reads only each entry's client id and clock, and skips the state
 * of an id the sender does not own without decoding its text (nor, later, parsing its JSON). Keeps
 * the owned entries and at most one unknown id (the one `filterAwarenessUpdate` may claim, when
 * `mayClaim`). A frame with more than `maxEntries` entries is refused before any is read: a stock
 * client echoes at most the states it heard, which the relay's room holds too.
 */
export function preFilterAwareness(
	update: Uint8Array,
	sender: { owns(clientId: number): boolean; mayClaim: boolean; maxEntries: number }
): AwarenessPrefilterResult {
	const kept: Entry[] = [];
	try {
		const decoder = decoding.createDecoder(update);
		const n = decoding.readVarUint(decoder);
		if (n > sender.maxEntries) return { update: null, malformed: false, tooMany: true };
		let candidate = sender.mayClaim;
		for (let i = 0; i < n; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			let keep = sender.owns(clientId);
			if (!keep && candidate) {
				candidate = false;
				keep = true;
			}
			if (keep) kept.push({ clientId, clock, json: decoding.readVarString(decoder) });
			else decoding.readVarUint8Array(decoder); // skipped: a view, no text decoded
		}
		if (decoding.hasContent(decoder)) return { update: null, malformed: true, tooMany: false };
	} catch {
		return { update: null, malformed: true, tooMany: false };
	}
	return { update: kept.length === 0 ? null : encodeEntries(kept), malformed: false, tooMany: false };
}

function encodeEntries(entries: Entry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const e of entries) {
		encoding.writeVarUint(encoder, e.clientId);
		encoding.writeVarUint(encoder, e.clock);
		encoding.writeVarString(encoder, e.json);
	}
	return encoding.toUint8Array(encoder);
}

/**
 * How much of a sender's awareness the others of a document may hear (A7), decided by the relay
 * from the sender's `lastSeenVisibleTo` and blocks: `all`; `typing` (only a `typing: true` state,
 * reduced to `{user: {id}, typing: true}`); `none`.
 */
export type AwarenessVisibility = 'all' | 'typing' | 'none';

/** What the relay tells `limitAwareness` about the document's awareness now. */
export interface AwarenessShown {
	/** Whether the document's awareness holds a (non-null) state for this client id. */
	shown(clientId: number): boolean;
}

/** A7 for one entry: the JSON to pass on, or null to drop it. */
function limitState(json: string, visibility: AwarenessVisibility, shown: boolean): string | null {
	// Oversized or unreadable states are A2's to drop; passed through untouched here.
	if (utf8Length(json) > AWARENESS_LIMITS.maxStateBytes) return json;
	let state: unknown;
	try {
		state = JSON.parse(json);
	} catch {
		return json;
	}
	// What is not announced ends what was (a removal: "stopped typing") or is dropped: a removal
	// of an id not shown would tell others that this client went away, i.e. that it was there.
	const hidden = shown ? 'null' : null;
	if (state === null) return hidden;
	if (visibility === 'typing' && isPlainObject(state) && state.typing === true) {
		// Only who is typing: A3 still checks (or fills) user.id; nothing else about the sender passes.
		const user = state.user;
		const reduced = user === undefined ? {} : { user: isPlainObject(user) ? (user.id === undefined ? {} : { id: user.id }) : user };
		return JSON.stringify({ ...reduced, typing: true });
	}
	return hidden;
}

/**
 * A7: limits an encoded awareness update (raw, before `filterAwarenessUpdate`, which still applies
 * A1–A4 to what is left) to what `visibility` announces. An entry that is not announced becomes a
 * removal when the document shows a state for its id (the end of a typing state), else it is
 * dropped; so a stock client, which answers the removal of its own state by sending it again,
 * stops after one round.
 */
export function limitAwareness(update: Uint8Array, visibility: AwarenessVisibility, doc: AwarenessShown): AwarenessFilterResult {
	if (visibility === 'all') return { update, dropped: 0, malformed: false };
	const entries = decodeEntries(update);
	if (entries === null) return { update: null, dropped: 0, malformed: true };
	const kept: Entry[] = [];
	for (const e of entries) {
		const json = limitState(e.json, visibility, doc.shown(e.clientId));
		if (json !== null) kept.push({ ...e, json });
	}
	return { update: kept.length === 0 ? null : encodeEntries(kept), dropped: entries.length - kept.length, malformed: false };
}
