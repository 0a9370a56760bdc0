/**
 * What the conversation info panel offers, as pure functions of kind and roles. They mirror the
 * server's rules (docs/conversations.md C1–C5, `src/lib/server/conversations/permissions.ts`) so
 * that a role is never offered what the server would refuse; the server stays the judge.
 */

import type { ConversationKind, Role } from '../../shared/roles.js';
export type { ConversationKind, Role };

/** The ordinary role of a conversation kind (what a demoted admin becomes). */
export function ordinaryRole(kind: ConversationKind): Role {
	return kind === 'channel' ? 'subscriber' : 'member';
}

/** C1: add members, edit title/description/picture, invite links. */
export function mayManage(kind: ConversationKind, me: Role): boolean {
	return kind !== 'direct' && (me === 'owner' || me === 'admin');
}

/** C5: the owner deletes a group or channel; either person a direct conversation. */
export function mayDelete(kind: ConversationKind, me: Role): boolean {
	return kind === 'direct' || me === 'owner';
}

/** What I may do to one member (never to myself: leaving is its own action). */
export interface MemberActions {
	remove: boolean;
	promote: boolean;
	demote: boolean;
	makeOwner: boolean;
}

/** C2, C3 for one member of a group or channel. */
export function memberActions(kind: ConversationKind, me: Role, target: Role, isMe: boolean): MemberActions {
	const none = { remove: false, promote: false, demote: false, makeOwner: false };
	if (kind === 'direct' || isMe || target === 'owner') return none;
	const ordinary = target === 'member' || target === 'subscriber';
	return {
		remove: me === 'owner' || (me === 'admin' && ordinary),
		promote: (me === 'owner' || me === 'admin') && ordinary,
		demote: me === 'owner' && target === 'admin',
		makeOwner: me === 'owner'
	};
}

/**
 * C4: who becomes the owner when the owner leaves without choosing: the oldest admin, else the
 * oldest other member. `members` come as the server lists them (owner, admins, then by age);
 * null means nobody is left and leaving deletes the conversation.
 */
export function successor<T extends { user: { id: string }; role: Role; joinedAt: string }>(members: readonly T[], me: string): T | null {
	const others = members.filter((m) => m.user.id !== me);
	const byAge = (a: T, b: T) => a.joinedAt.localeCompare(b.joinedAt);
	const admins = others.filter((m) => m.role === 'admin').sort(byAge);
	return admins[0] ?? [...others].sort(byAge)[0] ?? null;
}
