/**
 * The y-websocket wire protocol as the relay speaks it: message types, close codes, and encoders.
 * Every frame is `[messageType: varUint, payload…]`.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';

/** Top-level message types (y-websocket). */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;

/** Sync sub-messages (y-protocols/sync). */
export const SyncType = {
	Step1: syncProtocol.messageYjsSyncStep1,
	Step2: syncProtocol.messageYjsSyncStep2,
	Update: syncProtocol.messageYjsUpdate
} as const;

/**
 * Close codes. The stock provider reconnects after any close except 4400–4499, which stop it for
 * good: we use that range only where reconnecting cannot help (signed out, access gone).
 */
export const CloseCode = {
	/** The server is shutting down (clients reconnect to the next instance). */
	GoingAway: 1001,
	/** A frame that does not decode, or of an unknown type. */
	Malformed: 1007,
	/** More than the connection may queue before it is ready. */
	PolicyViolation: 1008,
	/** A frame over the size limit (ws closes with this itself). */
	TooBig: 1009,
	/** The document could not be stored; the client reconnects and resends. */
	InternalError: 1011,
	/** The client reads too slowly: its unsent backlog passed the limit. Reconnecting resyncs it. */
	TryAgainLater: 1013,
	/**
	 * The client stayed over its rate limit (relayRateLimitCloseAfterMs): a script, most likely.
	 * Deliberately outside 4400–4499, so a stock client reconnects (an honest client whose bug sent
	 * too fast recovers); its user's upgrades are refused with 429 for relayRateLimitPenaltyMs, which
	 * the stock provider counts as failed attempts and backs off from exponentially.
	 */
	RateLimited: 4290,
	/** The session ended (signed out, revoked, password changed). */
	SessionEnded: 4401,
	/** The user may no longer open this document (removed from the conversation). */
	AccessRevoked: 4403,
	/** The document was deleted (its conversation is gone). */
	Deleted: 4404
} as const;

/** A sync step 1 frame: our state vector, asking the client for what we lack. */
export function syncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

/** A sync step 2 frame answering `stateVector`: everything we have that the client lacks. */
export function syncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	syncProtocol.writeSyncStep2(encoder, doc, stateVector);
	return encoding.toUint8Array(encoder);
}

/** An update frame carrying `update`. */
export function updateFrame(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** An awareness frame carrying an encoded awareness update. */
export function awarenessFrame(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Awareness);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** An awareness frame with the states of `clients` (default: all known). */
export function awarenessStatesFrame(awareness: awarenessProtocol.Awareness, clients?: number[]): Uint8Array {
	return awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, clients ?? [...awareness.getStates().keys()]));
}

/** y-protocols' permission-denied frame: the stock client logs `reason`; ours recovers. */
export function permissionDenied(reason: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Auth);
	authProtocol.writePermissionDenied(encoder, reason);
	return encoding.toUint8Array(encoder);
}
