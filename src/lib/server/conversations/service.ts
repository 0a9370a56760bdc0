/** What the conversation routes do, with their refusals as ApiErrors. */
import type { z } from 'zod';
import { ApiError } from '../http-errors.js';
import type { Runtime } from '../runtime.js';
import { conversationDocName } from '../doc-names.js';
import type { addMemberSchema, createConversationSchema } from './schemas.js';
import {
	addMember,
	createConversation,
	existingUsers,
	findDirectConversation,
	removeMember,
	roleIn,
	viewConversation,
	type ConversationView,
	type MemberRole
} from './store.js';

type Deps = Pick<Runtime, 'db' | 'events'>;

/** Creates a conversation; a direct one with the same person is returned, not duplicated. */
export async function startConversation(
	{ db }: Deps,
	me: string,
	input: z.output<typeof createConversationSchema>
): Promise<{ conversation: ConversationView; created: boolean }> {
	if (input.kind === 'direct') {
		if (input.userId === me) throw new ApiError(400, 'invalid_input', 'userId: a direct conversation needs another person');
		if (!(await existingUsers(db, [input.userId])).has(input.userId)) throw new ApiError(404, 'not_found', 'No such user');
		const existing = await findDirectConversation(db, me, input.userId);
		if (existing) return { conversation: (await viewConversation(db, existing, me))!, created: false };
		const conversation = await createConversation(db, {
			kind: 'direct',
			title: '',
			createdBy: me,
			members: [
				{ userId: me, role: 'owner' },
				{ userId: input.userId, role: 'owner' }
			]
		});
		return { conversation, created: true };
	}
	if (input.kind === 'group') {
		const ids = [...new Set(input.memberIds.filter((id) => id !== me))];
		const known = await existingUsers(db, ids);
		const unknown = ids.find((id) => !known.has(id));
		if (unknown) throw new ApiError(400, 'invalid_input', `memberIds: no user ${unknown}`);
		const members = [{ userId: me, role: 'owner' as const }, ...ids.map((userId) => ({ userId, role: 'member' as const }))];
		return { conversation: await createConversation(db, { kind: 'group', title: input.title, createdBy: me, members }), created: true };
	}
	return {
		conversation: await createConversation(db, { kind: 'channel', title: input.title, createdBy: me, members: [{ userId: me, role: 'owner' }] }),
		created: true
	};
}

const MODERATORS: ReadonlySet<MemberRole> = new Set(['owner', 'admin']);

/** Adds a member (owner/admin only). */
export async function addConversationMember({ db }: Deps, me: string, conversationId: string, input: z.output<typeof addMemberSchema>) {
	const conversation = await viewConversation(db, conversationId, me);
	if (!conversation) throw new ApiError(404, 'not_found', 'No such conversation');
	if (!MODERATORS.has(conversation.role)) throw new ApiError(403, 'forbidden', 'Only the owner or an admin may add members');
	if (conversation.kind === 'direct') throw new ApiError(400, 'invalid_input', 'A direct conversation has exactly two members');
	if (!(await existingUsers(db, [input.userId])).has(input.userId)) throw new ApiError(404, 'not_found', 'No such user');
	if (input.userId === me) throw new ApiError(400, 'invalid_input', 'userId: you are already a member');
	const role: MemberRole = input.role ?? (conversation.kind === 'channel' ? 'subscriber' : 'member');
	if (role === 'subscriber' && conversation.kind !== 'channel') throw new ApiError(400, 'invalid_input', 'role: subscribers exist only in channels');
	if (role === 'member' && conversation.kind === 'channel') throw new ApiError(400, 'invalid_input', 'role: a channel has subscribers, not members');
	if ((await roleIn(db, conversationId, input.userId)) === 'owner') throw new ApiError(409, 'conflict', 'That user owns the conversation');
	await addMember(db, conversationId, input.userId, role);
}

/** Removes a member (owner/admin, or oneself); their sockets to the conversation close at once. */
export async function removeConversationMember({ db, events }: Deps, me: string, conversationId: string, userId: string) {
	const myRole = await roleIn(db, conversationId, me);
	if (!myRole) throw new ApiError(404, 'not_found', 'No such conversation');
	if (userId !== me && !MODERATORS.has(myRole)) throw new ApiError(403, 'forbidden', 'Only the owner or an admin may remove members');
	const theirRole = await roleIn(db, conversationId, userId);
	if (!theirRole) throw new ApiError(404, 'not_found', 'That user is not a member');
	if (theirRole === 'owner' && userId !== me) throw new ApiError(403, 'forbidden', 'The owner cannot be removed');
	await removeMember(db, conversationId, userId);
	events.emit('accessRevoked', { userId, docName: conversationDocName(conversationId) });
}
