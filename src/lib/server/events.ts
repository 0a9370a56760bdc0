/**
 * Events that cross subsystems in one process: accounts tell the relay to drop sockets,
 * conversations tell it to drop a removed member. One typed map, so every emitter and listener
 * agrees on the payload.
 */
import { EventEmitter } from 'node:events';

/** Payloads by event name. */
export interface ParleyEventMap {
	/** These sessions ended (sign-out, revocation, password change): close their sockets now. */
	sessionsEnded: [{ sessionIds: string[] }];
	/** A user lost access to a document: close their sockets to it. */
	accessRevoked: [{ userId: string; docName: string }];
	/**
	 * Members joined, left, or changed role or settings (mute, pin, archive) in a conversation, or
	 * its title/avatar changed: the relay re-reads open connections' roles, the inbox refreshes
	 * these users' entries (all members when `userIds` is omitted).
	 */
	membershipChanged: [{ conversationId: string; userIds?: string[] }];
	/** A conversation was deleted: the inbox drops its entry for these former members. */
	conversationDeleted: [{ conversationId: string; userIds: string[] }];
}

/** A typed event emitter over ParleyEventMap. */
export class ParleyEvents extends EventEmitter<ParleyEventMap> {}
