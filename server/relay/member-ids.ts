/**
 * Keeps each loaded conversation's set of member ids (Room.memberIds) that the checker consults
 * for R28 (a message mentions members only), so the check stays synchronous and pure. Loaded with
 * the document, then re-read when `membershipChanged` names the conversation (from this instance
 * or, through the event bridge, from others); `accessRevoked` removes one member at once.
 *
 * Bounded: at most `relayRoomMemberIdsMax` ids (moderators first, then by joining), which holds
 * every member of a group (`groupMaxMembers`); in a larger channel only those can be mentioned.
 * Re-reads are coalesced per room: one in flight, at most one more queued behind it, so a burst
 * of membership events costs two queries, not one per event.
 */
import type { Queryable } from '$lib/server/db';
import { subscribe, type ParleyEvents } from '$lib/server/events';
import { conversationDocName, parseDocName } from '$lib/server/doc-names';
import type { Logger } from 'pino';
import type { Room } from './room.js';

/** What keeping a room's member set touches of it. */
type MemberRoom = Pick<Room, 'name' | 'memberIds'>;
import { loadingRooms } from './loading-rooms.js';

const SQL = {
	members: `select user_id from conversation_members where conversation_id = $1
		order by (role in ('owner', 'admin')) desc, joined_at, user_id limit $2`
};

/** What keeping the sets needs. */
export interface MemberIdDeps {
	db: Queryable;
	events: ParleyEvents;
	log: Logger;
	/** The loaded room of a document, if any. */
	peek: (docName: string) => MemberRoom | undefined;
	max: number;
}

/** Wires the sets; `load` is the relay's onLoad step for conversations, `stop` unsubscribes. */
export function trackMemberIds(deps: MemberIdDeps): { load(room: MemberRoom): Promise<void>; stop(): void } {
	// A change heard while a room loads must reach it too (peek does not see it yet).
	const { roomsOf, during } = loadingRooms(deps.peek);
	// Per room: the re-read in flight, and whether another was asked for while it ran.
	const reading = new Map<MemberRoom, { again: boolean; done: Promise<void> }>();

	const read = async (room: MemberRoom, conversationId: string) => {
		const rows = await deps.db.query<{ user_id: string }>(SQL.members, [conversationId, deps.max]);
		room.memberIds = new Set(rows.map((r) => r.user_id));
	};
	/** Reads the set again, or (one in flight) asks that one to read once more when it is done. */
	const reread = (room: MemberRoom, conversationId: string): Promise<void> => {
		const running = reading.get(room);
		if (running) {
			running.again = true;
			return running.done;
		}
		const state = { again: false, done: Promise.resolve() };
		reading.set(room, state);
		state.done = (async () => {
			try {
				do {
					state.again = false;
					await read(room, conversationId);
				} while (state.again);
			} finally {
				reading.delete(room);
			}
		})();
		return state.done;
	};
	const background = (room: MemberRoom, conversationId: string) =>
		reread(room, conversationId).catch((error) =>
			deps.log.warn({ err: error, doc: room.name }, 'members of a conversation could not be re-read (R28)')
		);
	const stop = subscribe(deps.events, {
		membershipChanged: ({ conversationId }) => {
			for (const room of roomsOf(conversationDocName(conversationId))) void background(room, conversationId);
		},
		// At once: a removed member must not be mentioned from the next update on.
		accessRevoked: ({ userId, docName }) => {
			for (const room of roomsOf(docName)) room.memberIds?.delete(userId);
		}
	});
	return {
		async load(room) {
			const target = parseDocName(room.name);
			if (target?.kind !== 'conversation') return;
			await during(room, () => reread(room, target.conversationId));
		},
		stop
	};
}
