/**
 * Events that cross subsystems: accounts tell the relay to drop sockets, conversations tell it to
 * drop a removed member, commits tell the inbox. One typed map, so every emitter and listener
 * agrees on the payload. With REDIS_URL they reach every instance (server/event-bridge.ts), so
 * payloads stay JSON.
 */
import { EventEmitter } from 'node:events';

/** Payloads by event name. */
export interface ParleyEventMap {
	/** These sessions ended (sign-out, revocation, password change): close their sockets now. */
	sessionsEnded: [{ sessionIds: string[] }];
	/** A user lost access to a document: close their sockets to it. */
	accessRevoked: [{ userId: string; docName: string }];
	/**
	 * Members joined or left a conversation, or a member's role changed: the relay re-reads the
	 * access of these users' open connections (and of its moderators'), the R28 member set is read
	 * again, the inbox refreshes these users' entries (all members when `userIds` is omitted).
	 */
	membershipChanged: [{ conversationId: string; userIds?: string[] }];
	/**
	 * A conversation's title, description, visibility or picture changed (all members: `userIds`
	 * omitted), or a member's own settings (mute, pin, archive: just them). Nobody's access
	 * changed: only the inbox refreshes these entries; the relay does not re-read any socket.
	 */
	conversationEdited: [{ conversationId: string; userIds?: string[] }];
	/** A user changed privacy settings: open sockets re-read what they may write (R24). */
	privacyChanged: [{ userId: string; readReceipts: boolean }];
	/**
	 * A block was made or lifted between two users: presence between them is hidden or re-told,
	 * and the relay re-reads what their open sockets may do (R25, A7). `blocked`: whether a block
	 * now stands either way between them (after an unblock, the other direction may remain).
	 */
	blocksChanged: [{ blockerId: string; blockedId: string; blocked: boolean }];
	/** `ownerId` added or removed `contactId` as a contact: presence between them and A7 are re-read. */
	contactsChanged: [{ ownerId: string; contactId: string }];
	/** A conversation was deleted: the inbox drops its entry for these former members. */
	conversationDeleted: [{ conversationId: string; userIds: string[] }];
	/**
	 * An update of a document was committed that the inbox may show: envelopes added, edited or
	 * deleted, or `readBy` moved their read position. Emitted by the instance that committed it.
	 */
	updateCommitted: [{ docName: string; envelopesChanged: boolean; readBy: string | null }];
	/** An upload was made for a conversation: envelopes there may now reference it (R27). */
	uploadCreated: [{ conversationId: string; uploadId: string }];
	/** The sweeper removed these uploads: envelopes may no longer reference them (R27). */
	uploadsRemoved: [{ uploads: Array<{ conversationId: string; uploadId: string }> }];
}

/** A typed event emitter over ParleyEventMap. */
export class ParleyEvents extends EventEmitter<ParleyEventMap> {}

/** Listeners by event name, typed by the map. */
export type ParleyListeners = { [K in keyof ParleyEventMap]?: (...args: ParleyEventMap[K]) => void };

/** Subscribes every listener given; returns the function that unsubscribes them all. */
export function subscribe(events: ParleyEvents, listeners: ParleyListeners): () => void {
	const entries = Object.entries(listeners) as Array<[keyof ParleyEventMap, (...args: never[]) => void]>;
	for (const [name, listener] of entries) events.on(name, listener as never);
	return () => {
		for (const [name, listener] of entries) events.off(name, listener as never);
	};
}
