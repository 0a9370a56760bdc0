/**
 * A7 around the pure filter: incoming awareness limited by the sender's visibility, and open
 * connections following a change of it (a block, a privacy or contact change) at once.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { limitAwareness } from '$lib/sync/awareness-filter';
import { MessageType } from '$lib/sync/protocol';
import type { DocAccess } from './access.js';
import type { Connection } from './connection.js';
import type { Room } from './room.js';

/** Less announced first: a change towards the front hides, towards the back shows. */
const ORDER = ['none', 'typing', 'all'] as const;
const rank = (access: DocAccess) => ORDER.indexOf(access.awareness ?? 'all');

/** y-websocket's query-awareness: a stock client answers with its states at once. */
function queryAwarenessFrame(): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.QueryAwareness);
	return encoding.toUint8Array(encoder);
}

/**
 * A7, then the room's A1–A6: false when the frame is malformed (the relay closes the connection).
 */
export function receiveLimitedAwareness(room: Room, connection: Connection, raw: Uint8Array): boolean {
	// Ownership first (A1, A4): foreign entries are skipped unread, so A7 parses only the sender's.
	const pre = room.prefilterAwareness(connection, raw);
	if (pre.malformed) return false;
	if (pre.update === null) return true;
	const update = pre.update;
	const limited = limitAwareness(update, connection.access.awareness ?? 'all', { shown: (id) => room.awareness.getStates().has(id) });
	if (limited.malformed) return false;
	return limited.update === null || room.receiveAwareness(connection, limited.update);
}

/**
 * A connection's access changed from `before`. Announcing less: its states leave the room now (a
 * removal, as when it disconnects; its client re-sends them and A7 keeps what may pass). Announcing
 * more: its client is asked for its states, so they show without waiting for the next renewal.
 */
export function followAwarenessChange(room: Room | undefined, connection: Connection, before: DocAccess): void {
	if (!room || connection.closed) return;
	const was = rank(before);
	const now = rank(connection.access);
	if (now < was && connection.awarenessIds.size > 0)
		awarenessProtocol.removeAwarenessStates(room.awareness, [...connection.awarenessIds], connection);
	else if (now > was) connection.send(queryAwarenessFrame());
}
