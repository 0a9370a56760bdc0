/**
 * Who may do what to whom in a group or channel, as pure functions of roles (docs/conversations.md,
 * "Roles"). The owner may do everything; an admin runs the membership of ordinary members but
 * never acts on the owner or another admin, so admins cannot depose one another.
 */
import type { ConversationKind, MemberRole } from './store.js';

/** Roles that manage a conversation: add members, edit it, invite. */
export function isModerator(role: MemberRole): boolean {
	return role === 'owner' || role === 'admin';
}

/** The role of someone who joins or is added without a role named. */
export function defaultRole(kind: ConversationKind): MemberRole {
	return kind === 'channel' ? 'subscriber' : 'member';
}

/** Whether `role` exists for non-owners in a conversation of this kind (channels have subscribers, groups members). */
export function roleFits(kind: ConversationKind, role: MemberRole): boolean {
	if (role === 'admin') return true;
	return kind === 'channel' ? role === 'subscriber' : role === 'member';
}

/** Whether `actor` may add someone with `role`. */
export function mayAdd(actor: MemberRole, role: MemberRole): boolean {
	if (actor === 'owner') return role !== 'owner';
	return actor === 'admin' && role !== 'owner';
}

/** Whether `actor` may remove a member whose role is `target` (leaving is not removing). */
export function mayRemove(actor: MemberRole, target: MemberRole): boolean {
	if (target === 'owner') return false;
	if (actor === 'owner') return true;
	return actor === 'admin' && (target === 'member' || target === 'subscriber');
}

/**
 * Whether `actor` may change a member from `from` to `to`. `to: 'owner'` hands the conversation
 * over (owner only). Admins may promote ordinary members to admin; only the owner demotes admins.
 */
export function maySetRole(actor: MemberRole, from: MemberRole, to: MemberRole): boolean {
	if (from === 'owner') return false;
	if (actor === 'owner') return true;
	return actor === 'admin' && from !== 'admin' && to === 'admin';
}
