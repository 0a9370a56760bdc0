/**
 * Membership of groups and channels: adding, removing, leaving, roles, the member list. Each
 * change runs under the conversation's lock; afterwards the relay and inbox hear of it (events)
 * and, where members can see it, a system envelope records it.
 */
import type { z } from 'zod';
import { ApiError, fieldError } from '../http-errors.js';
import { conversationDocName } from '../doc-names.js';
import { assertReachable } from '../contacts/reach.js';
import type { addMemberSchema } from './schemas.js';
import {
	assertRoomForConversations,
	conversationFull,
	lockAsMember,
	maxMembers,
	noSuchConversation,
	refuseDirect,
	requireAllowed,
	type Deps
} from './context.js';
import { defaultRole, isModerator, mayAdd, mayRemove, maySetRole, roleFits } from './permissions.js';
import { announce, type Notice } from './system.js';
import { finishDeletion } from './manage.js';
import {
	deleteConversation,
	deleteMember,
	getConversation,
	insertMember,
	memberCount,
	roleIn,
	successorOf,
	updateRole,
	type ConversationKind,
	type MemberRole
} from './store.js';
import { listMembers, memberView, type MemberView } from './views.js';

/** Channel subscribers come and go unannounced: they do not see each other (nor should a history). */
const announced = (kind: ConversationKind, role: MemberRole) => !(kind === 'channel' && role === 'subscriber');

/** Adds a member (owner/admin only); refusals: blocked, contacts-only, already a member, full. */
export async function addConversationMember(
	deps: Deps,
	me: string,
	conversationId: string,
	input: z.output<typeof addMemberSchema>
): Promise<MemberView> {
	const { kind, role } = await deps.db.transaction(async (tx) => {
		const { conversation, role: myRole } = await lockAsMember(tx, conversationId, me);
		refuseDirect(conversation, 'members to add');
		requireAllowed(isModerator(myRole), 'Only the owner or an admin may add members');
		const role = input.role ?? defaultRole(conversation.kind);
		if (!roleFits(conversation.kind, role)) throw fieldError('role', `a ${conversation.kind} has no ${role}s`);
		requireAllowed(mayAdd(myRole, role), `You may not add ${role}s`);
		await assertReachable(tx, me, [input.userId], { field: 'userId' });
		if (await roleIn(tx, conversationId, input.userId)) throw fieldError('userId', 'already a member', 'already_member', 409);
		const limit = maxMembers(deps, conversation.kind);
		if ((await memberCount(tx, conversationId)) >= limit) throw conversationFull(limit);
		await assertRoomForConversations(tx, deps, me, [input.userId], 'userId');
		await insertMember(tx, conversationId, { userId: input.userId, role });
		return { kind: conversation.kind, role };
	});
	const visible = announced(kind, role);
	deps.events.emit('membershipChanged', visible ? { conversationId } : { conversationId, userIds: [input.userId] });
	if (visible) await announce(deps, conversationId, [{ actor: me, system: { event: 'member_added', userId: input.userId, role } }]);
	return (await memberView(deps.db, conversationId, input.userId))!;
}

/** Removes another member (owner: anyone; admin: members and subscribers); their sockets close at once. */
export async function removeConversationMember(deps: Deps, me: string, conversationId: string, userId: string): Promise<void> {
	if (userId === me) return leaveConversation(deps, me, conversationId);
	const { kind, role } = await deps.db.transaction(async (tx) => {
		const { conversation, role: myRole } = await lockAsMember(tx, conversationId, me);
		refuseDirect(conversation, 'members to remove; delete it instead');
		const theirRole = await roleIn(tx, conversationId, userId);
		if (!theirRole) throw new ApiError(404, 'not_found', 'That user is not a member');
		requireAllowed(
			mayRemove(myRole, theirRole),
			isModerator(myRole) ? `You may not remove the ${theirRole}` : 'Only the owner or an admin may remove members'
		);
		await deleteMember(tx, conversationId, userId);
		return { kind: conversation.kind, role: theirRole };
	});
	deps.events.emit('accessRevoked', { userId, docName: conversationDocName(conversationId) });
	deps.events.emit('membershipChanged', { conversationId, userIds: announced(kind, role) ? undefined : [userId] });
	if (announced(kind, role)) await announce(deps, conversationId, [{ actor: me, system: { event: 'member_removed', userId } }]);
}

/**
 * Leaves a group or channel. An owner hands the conversation to the oldest admin, else the oldest
 * member (subscriber in a channel); an owner who was the last member deletes it.
 */
export async function leaveConversation(deps: Deps, me: string, conversationId: string): Promise<void> {
	const outcome = await deps.db.transaction(async (tx) => {
		const { conversation, role } = await lockAsMember(tx, conversationId, me);
		refuseDirect(conversation, 'members who leave; delete it instead');
		let successor: string | null = null;
		if (role === 'owner') {
			successor = await successorOf(tx, conversationId);
			if (!successor) {
				await deleteConversation(tx, conversationId);
				return { deleted: true as const };
			}
			await updateRole(tx, conversationId, successor, 'owner');
		}
		await deleteMember(tx, conversationId, me);
		return { deleted: false as const, kind: conversation.kind, role, successor };
	});
	if (outcome.deleted) return finishDeletion(deps, conversationId, [me]);
	deps.events.emit('accessRevoked', { userId: me, docName: conversationDocName(conversationId) });
	const notices: Notice[] = [];
	if (announced(outcome.kind, outcome.role)) notices.push({ actor: me, system: { event: 'member_left', userId: me } });
	if (outcome.successor) notices.push({ actor: me, system: { event: 'role_changed', userId: outcome.successor, role: 'owner' } });
	deps.events.emit('membershipChanged', notices.length ? { conversationId } : { conversationId, userIds: [me] });
	await announce(deps, conversationId, notices);
}

/** Changes a member's role; `owner` hands the conversation over (the old owner becomes an admin). */
export async function setMemberRole(deps: Deps, me: string, conversationId: string, userId: string, role: MemberRole): Promise<MemberView> {
	const changed = await deps.db.transaction(async (tx) => {
		const { conversation, role: myRole } = await lockAsMember(tx, conversationId, me);
		refuseDirect(conversation, 'roles to change');
		if (userId === me) throw fieldError('userId', 'you cannot change your own role (leave, or hand over ownership)');
		const theirRole = await roleIn(tx, conversationId, userId);
		if (!theirRole) throw new ApiError(404, 'not_found', 'That user is not a member');
		if (role !== 'owner' && !roleFits(conversation.kind, role)) throw fieldError('role', `a ${conversation.kind} has no ${role}s`);
		requireAllowed(
			maySetRole(myRole, theirRole, role),
			isModerator(myRole) ? `You may not make the ${theirRole} ${role}` : 'Only the owner or an admin may change roles'
		);
		if (theirRole === role) return false;
		await updateRole(tx, conversationId, userId, role);
		if (role === 'owner') await updateRole(tx, conversationId, me, 'admin');
		return true;
	});
	if (changed) {
		deps.events.emit('membershipChanged', { conversationId });
		const notices: Notice[] = [{ actor: me, system: { event: 'role_changed', userId, role } }];
		if (role === 'owner') notices.push({ actor: me, system: { event: 'role_changed', userId: me, role: 'admin' } });
		await announce(deps, conversationId, notices);
	}
	return (await memberView(deps.db, conversationId, userId))!;
}

/** A page of the member list: everyone to members of a group and to a channel's owner/admins; owner/admins to subscribers. */
export async function conversationMembers(
	deps: Deps,
	me: string,
	conversationId: string,
	page: { limit: number; offset: number }
): Promise<MemberView[]> {
	const conversation = await getConversation(deps.db, conversationId);
	const role = conversation ? await roleIn(deps.db, conversationId, me) : null;
	if (!conversation || !role) throw noSuchConversation();
	return listMembers(deps.db, { conversationId, kind: conversation.kind, viewerRole: role, ...page });
}
