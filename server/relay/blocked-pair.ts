/**
 * R25: a direct conversation between people one of whom blocked the other takes no new writes
 * from either (docs/sync-rules.md). What a write is: anything that would change the document. A
 * stock client's sync step 2 that brings nothing new (its delete set names only what the relay
 * deleted already) is ignored silently, so a reconnect is not a refusal (and not a recovery loop).
 */
import * as Y from 'yjs';
import type { Logger } from 'pino';
import { scanUpdate } from '$lib/sync/scan-update';
import type { DocAccess } from './access.js';
import type { Connection } from './connection.js';
import type { Room } from './room.js';

/** The refusal's text: the same for both people, so it does not say who blocked whom. */
export const BLOCKED_REASON = 'R25: this conversation takes no new writes';

interface DeleteRange {
	clock: number;
	len: number;
}

/**
 * Whether applying `update` would change `doc`: structs beyond its state, or deletes of what it
 * holds alive. Work is bounded by the update's size plus the document's structs of the clients it
 * names: delete ranges are sorted and merged first, so repeated ranges walk nothing twice.
 * An update that does not decode counts as a write (it is refused, never applied).
 */
export function writesSomething(doc: Y.Doc, update: Uint8Array): boolean {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		// The cheap pass first (L1, L2, L3, R6): Y.decodeUpdate builds an object per struct and per
		// range, a whole Y.Doc per sub-document item. What it refuses is a write (refused, never applied).
		scanUpdate(update, { steps: 0 });
		decoded = Y.decodeUpdate(update);
	} catch {
		return true;
	}
	for (const struct of decoded.structs) if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return true;
	for (const [client, ranges] of decoded.ds.clients as Map<number, DeleteRange[]>) {
		const state = Y.getState(doc.store, client);
		const structs = doc.store.clients.get(client) ?? [];
		let covered = 0; // ranges below this clock were walked already
		for (const range of [...ranges].sort((a, b) => a.clock - b.clock)) {
			const from = Math.max(range.clock, covered);
			const to = range.clock + range.len;
			if (to <= from) continue;
			// beyond the relay's state: a delete of something it does not have (yet)
			if (to > state) return true;
			covered = to;
			for (let i = Y.findIndexSS(structs, from); i < structs.length && structs[i]!.id.clock < to; i++)
				if (!structs[i]!.deleted) return true;
		}
	}
	return false;
}

/** Handles an update from a connection whose access says `blocked`: refused if it writes, else ignored. */
export function receiveBlockedUpdate(room: Room, connection: Connection, update: Uint8Array, log: Logger): void {
	if (!writesSomething(room.doc, update)) return;
	log.info({ doc: room.name, userId: connection.userId }, 'update refused: R25');
	room.refuse(connection, BLOCKED_REASON);
}

/**
 * What a block or unblock between `userId` and `other` changes in `userId`'s access, before the
 * database is asked again (null: nothing). Their direct conversation opens or closes (R25). Any
 * group or channel might have the other among its members: announcing is limited to typing
 * there until the re-read settles it (A7): hiding too much for a moment is the safe side.
 */
export function accessAfterBlock(access: DocAccess, other: string, blocked: boolean): DocAccess | null {
	if (access.partnerId === other) return blocked ? { ...access, blocked, awareness: 'none' } : { ...access, blocked };
	if (blocked && (access.kind === 'group' || access.kind === 'channel') && (access.awareness ?? 'all') === 'all')
		return { ...access, awareness: 'typing' };
	return null;
}
