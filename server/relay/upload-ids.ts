/**
 * Keeps each loaded conversation's set of upload ids (Room.uploadIds) that the checker consults
 * for R27, so the check stays synchronous and pure. Loaded with the document (the newest
 * `relayRoomUploadIdsMax`), then kept current by `uploadCreated` / `uploadsRemoved` events (from
 * this instance or, through the event bridge, from others). Bounded: past the cap the oldest id
 * goes; an envelope naming an evicted upload is refused, and the client sends the file again
 * (the same bytes are stored once, so that costs a transfer, not space).
 */
import type { Queryable } from '$lib/server/db';
import { subscribe, type ParleyEvents } from '$lib/server/events';
import { conversationDocName, parseDocName } from '$lib/server/doc-names';
import { recentUploadIds } from '$lib/server/uploads/store';
import type { Room } from './room.js';

/** What keeping a room's upload set touches of it. */
type UploadRoom = Pick<Room, 'name' | 'uploadIds'>;
import { loadingRooms } from './loading-rooms.js';

/** What keeping the sets needs. */
export interface UploadIdDeps {
	db: Queryable;
	events: ParleyEvents;
	/** The loaded room of a document, if any. */
	peek: (docName: string) => UploadRoom | undefined;
	max: number;
}

/** Adds an id, evicting the oldest past `max` (a Set iterates in insertion order). */
function addBounded(set: Set<string>, id: string, max: number): void {
	set.delete(id);
	set.add(id);
	while (set.size > max) set.delete(set.values().next().value!);
}

/** Wires the sets; `load` is the relay's onLoad step for conversations, `stop` unsubscribes. */
export function trackUploadIds(deps: UploadIdDeps): { load(room: UploadRoom): Promise<void>; stop(): void } {
	// An upload made while the ids are read must reach a loading room too (peek does not see it yet).
	const { roomsOf, during } = loadingRooms(deps.peek);
	const stop = subscribe(deps.events, {
		uploadCreated: ({ conversationId, uploadId }) => {
			for (const room of roomsOf(conversationDocName(conversationId))) addBounded(room.uploadIds, uploadId, deps.max);
		},
		uploadsRemoved: ({ uploads }) => {
			for (const { conversationId, uploadId } of uploads)
				for (const room of roomsOf(conversationDocName(conversationId))) room.uploadIds.delete(uploadId);
		}
	});
	return {
		async load(room) {
			const target = parseDocName(room.name);
			if (target?.kind !== 'conversation') return;
			await during(room, async () => {
				const heardMeanwhile = [...room.uploadIds];
				for (const id of await recentUploadIds(deps.db, target.conversationId, deps.max)) addBounded(room.uploadIds, id, deps.max);
				for (const id of heardMeanwhile) addBounded(room.uploadIds, id, deps.max);
			});
		},
		stop
	};
}
