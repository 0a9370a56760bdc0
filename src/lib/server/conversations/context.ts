/** What the conversation services need from the runtime, and their shared refusals. */
import type { Runtime } from '../runtime.js';
import type { Queryable } from '../db/index.js';
import { ApiError, fieldError } from '../http-errors.js';
import { ID_PATTERN } from './schemas.js';
import { lockConversation, roleIn, usersAtConversationLimit, type ConversationRow, type MemberRole } from './store.js';

/** The narrow runtime of the conversation services. */
export type Deps = Pick<Runtime, 'db' | 'docs' | 'events' | 'log' | 'now' | 'config'>;

/** A conversation one is not a member of does not exist, as far as they can tell. */
export const noSuchConversation = () => new ApiError(404, 'not_found', 'No such conversation');

/** A path id, or 404 for anything the server never issues. */
export function pathId(raw: string | undefined, what = 'conversation'): string {
	if (raw && ID_PATTERN.test(raw)) return raw;
	throw new ApiError(404, 'not_found', `No such ${what}`);
}

/** The conversation, locked (see lockConversation), and the caller's role in it; 404 for non-members. */
export async function lockAsMember(
	tx: Queryable,
	conversationId: string,
	me: string
): Promise<{ conversation: ConversationRow; role: MemberRole }> {
	const conversation = await lockConversation(tx, conversationId);
	const role = conversation ? await roleIn(tx, conversationId, me) : null;
	if (!conversation || !role) throw noSuchConversation();
	return { conversation, role };
}

/** 400 for what a direct conversation does not have (members to manage, a title, invites). */
export function refuseDirect(conversation: ConversationRow, what: string): void {
	if (conversation.kind === 'direct') throw new ApiError(400, 'invalid_input', `A direct conversation has no ${what}`);
}

/** 403 unless `allowed`. */
export function requireAllowed(allowed: boolean, message: string): void {
	if (!allowed) throw new ApiError(403, 'forbidden', message);
}

/** The member limit of a conversation of this kind. */
export function maxMembers(deps: Pick<Deps, 'config'>, kind: ConversationRow['kind']): number {
	return kind === 'channel' ? deps.config.limits.channelMaxMembers : kind === 'group' ? deps.config.limits.groupMaxMembers : 2;
}

/** 409 when a conversation is full. */
export function conversationFull(limit: number): ApiError {
	return new ApiError(409, 'conversation_full', `This conversation has reached its limit of ${limit} members`);
}

/**
 * 409 `too_many_conversations` when one of `userIds` already belongs to `userConversationsMax`
 * conversations (me: "you"; someone else: named by `field`, without saying who of several).
 */
export async function assertRoomForConversations(
	db: Queryable,
	deps: Pick<Deps, 'config'>,
	me: string,
	userIds: readonly string[],
	field: string
): Promise<void> {
	const limit = deps.config.limits.userConversationsMax;
	const full = await usersAtConversationLimit(db, userIds, limit);
	if (full.length === 0) return;
	if (full.includes(me)) throw new ApiError(409, 'too_many_conversations', `You are in ${limit} conversations already: leave some first`);
	throw fieldError(field, `this person is in ${limit} conversations already`, 'too_many_conversations', 409);
}
