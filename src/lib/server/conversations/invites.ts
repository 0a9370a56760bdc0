/**
 * Invite links to a group or channel: made and revoked by the owner and admins, used by anyone
 * signed in who has one. Only the SHA-256 of a token is stored, so the link is shown once; links
 * live until revoked (or the conversation is deleted).
 */
import type { Queryable } from '../db/index.js';
import { ApiError } from '../http-errors.js';
import { randomId } from '../ids.js';
import { hashToken, newLinkToken } from '../auth/tokens.js';
import { lockAsMember, noSuchConversation, refuseDirect, requireAllowed, type Deps } from './context.js';
import { isModerator } from './permissions.js';
import { joinConversation } from './join.js';
import { getConversation, memberCount, roleIn, type ConversationKind } from './store.js';
import type { ConversationView } from './views.js';

/** Where a client opens an invite (its page calls `POST /api/invites/:token`). */
export { INVITE_PATH_PREFIX } from '../../shared/links.js';
import { INVITE_PATH_PREFIX, INVITE_TOKEN_PATTERN as TOKEN_PATTERN } from '../../shared/links.js';
/** A token as `newLinkToken` makes them (base32, 160 bits). */

const SQL = {
	insert: `insert into conversation_invites (id, conversation_id, token_hash, created_by) values ($1, $2, $3, $4) returning created_at`,
	count: `select count(*)::int as n from conversation_invites where conversation_id = $1`,
	list: `select id, created_by, created_at from conversation_invites where conversation_id = $1 order by created_at desc, id`,
	revoke: `delete from conversation_invites where id = $1 and conversation_id = $2 returning id`,
	byHash: `select conversation_id from conversation_invites where token_hash = $1`
};

/** An invite as its managers see it (the token is not kept, so it is not shown again). */
export interface InviteView {
	id: string;
	createdBy: string | null;
	createdAt: string;
}

/** Checks that `me` manages invites of the conversation (owner/admin of a group or channel). */
async function requireInviteManager(db: Queryable, conversationId: string, me: string): Promise<void> {
	const conversation = await getConversation(db, conversationId);
	const role = conversation ? await roleIn(db, conversationId, me) : null;
	if (!conversation || !role) throw noSuchConversation();
	refuseDirect(conversation, 'invite links');
	requireAllowed(isModerator(role), 'Only the owner or an admin manages invite links');
}

/** Makes an invite link; the token is in the answer only. */
export async function createInvite(deps: Deps, me: string, conversationId: string) {
	const { token, hash } = newLinkToken();
	const id = randomId();
	const createdAt = await deps.db.transaction(async (tx) => {
		const { conversation, role } = await lockAsMember(tx, conversationId, me);
		refuseDirect(conversation, 'invite links');
		requireAllowed(isModerator(role), 'Only the owner or an admin manages invite links');
		const max = deps.config.limits.conversationInvitesMax;
		if ((await tx.query<{ n: number }>(SQL.count, [conversationId]))[0]!.n >= max)
			throw new ApiError(409, 'too_many_invites', `At most ${max} invite links at once; revoke one first`);
		return (await tx.query<{ created_at: Date }>(SQL.insert, [id, conversationId, hash, me]))[0]!.created_at;
	});
	return { id, token, url: `${deps.config.origin}${INVITE_PATH_PREFIX}${token}`, createdAt: new Date(createdAt).toISOString() };
}

/** The live invite links of a conversation. */
export async function listInvites(deps: Deps, me: string, conversationId: string): Promise<InviteView[]> {
	await requireInviteManager(deps.db, conversationId, me);
	const rows = await deps.db.query<{ id: string; created_by: string | null; created_at: Date }>(SQL.list, [conversationId]);
	return rows.map((r) => ({ id: r.id, createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString() }));
}

/** Revokes an invite link: it no longer lets anyone in (members who used it stay). */
export async function revokeInvite(deps: Deps, me: string, conversationId: string, inviteId: string): Promise<void> {
	await requireInviteManager(deps.db, conversationId, me);
	if ((await deps.db.query(SQL.revoke, [inviteId, conversationId])).length === 0) throw new ApiError(404, 'not_found', 'No such invite');
}

const noSuchInvite = () => new ApiError(404, 'not_found', 'No such invite (it may have been revoked)');

/** The conversation a token opens, or 404. */
async function invitedConversation(db: Queryable, token: string): Promise<string> {
	if (!TOKEN_PATTERN.test(token)) throw noSuchInvite();
	const [row] = await db.query<{ conversation_id: string }>(SQL.byHash, [hashToken(token)]);
	if (!row) throw noSuchInvite();
	return row.conversation_id;
}

/** What an invite leads to, shown before joining. */
export async function previewInvite(deps: Deps, token: string) {
	const id = await invitedConversation(deps.db, token);
	const conversation = (await getConversation(deps.db, id))!;
	return {
		id,
		kind: conversation.kind as ConversationKind,
		title: conversation.title,
		description: conversation.description,
		avatarUrl: conversation.avatar_url,
		memberCount: await memberCount(deps.db, id)
	};
}

/** Joins through an invite link (subscriber in a channel, member in a group). */
export async function acceptInvite(deps: Deps, me: string, token: string): Promise<{ conversation: ConversationView; created: boolean }> {
	const id = await invitedConversation(deps.db, token);
	// Revoked between the lookup and the conversation's lock? Then it no longer lets anyone in.
	const stillValid = async (tx: Queryable) => (await tx.query(SQL.byHash, [hashToken(token)])).length > 0;
	return joinConversation(deps, me, id, stillValid);
}
