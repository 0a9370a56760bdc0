/** Starting conversations: direct (one per pair), groups and channels (SPEC §3). */
import type { z } from 'zod';
import { ApiError, fieldError } from '../http-errors.js';
import { randomId } from '../ids.js';
import { assertReachable, reachOf, reachRefusal } from '../contacts/reach.js';
import type { createConversationSchema } from './schemas.js';
import { assertRoomForConversations, type Deps } from './context.js';
import { announce } from './system.js';
import { directConversationId, directKey, insertConversation, insertMembers, type ConversationKind, type NewMember } from './store.js';
import { viewConversation, type ConversationView } from './views.js';

type CreateInput = z.output<ReturnType<typeof createConversationSchema>>;

/** Creates a conversation; a direct one with the same person is returned (`created: false`), not duplicated. */
export async function startConversation(
	deps: Deps,
	me: string,
	input: CreateInput
): Promise<{ conversation: ConversationView; created: boolean }> {
	if (input.kind === 'direct') return startDirect(deps, me, input.userId);
	const others = input.kind === 'group' ? [...new Set(input.memberIds.filter((id) => id !== me))] : [];
	// Whoever may not be pulled into a conversation by me (blocks, contacts-only) refuses the whole group.
	await assertReachable(deps.db, me, others, { field: 'memberIds', unknownStatus: 400 });
	const members: NewMember[] = [{ userId: me, role: 'owner' }, ...others.map((userId) => ({ userId, role: 'member' as const }))];
	const id = randomId();
	await assertRoomForConversations(deps.db, deps, me, [me, ...others], 'memberIds');
	await deps.db.transaction(async (tx) => {
		await insertConversation(tx, {
			id,
			kind: input.kind,
			title: input.title,
			description: input.description,
			public: input.kind === 'channel' && input.public,
			createdBy: me,
			directKey: null
		});
		await insertMembers(tx, id, members);
	});
	await announce(
		deps,
		id,
		[{ actor: me, system: { event: 'created', title: input.title } }],
		metaOf(input.kind, input.title, input.description, deps.now())
	);
	deps.events.emit('membershipChanged', { conversationId: id, userIds: members.map((m) => m.userId) });
	return { conversation: (await viewConversation(deps.db, id, me))!, created: true };
}

/** The `meta` of a new conversation. */
const metaOf = (kind: ConversationKind, title: string, description: string, createdAt: number) => ({ kind, title, description, createdAt });

/**
 * The direct conversation with `other`: the existing one (even if their privacy became
 * contacts-only since: they already talk), or a new one. A block either way refuses both.
 */
async function startDirect(deps: Deps, me: string, other: string): Promise<{ conversation: ConversationView; created: boolean }> {
	if (other === me) throw fieldError('userId', 'a direct conversation needs another person');
	const reach = (await reachOf(deps.db, me, [other])).get(other);
	if (reach === undefined) throw new ApiError(404, 'not_found', 'No such user');
	if (reach !== 'contacts_only') {
		const refusal = reachRefusal(reach, 'userId');
		if (refusal) throw refusal;
	}
	const existing = await directConversationId(deps.db, me, other);
	if (existing) return { conversation: (await viewConversation(deps.db, existing, me))!, created: false };
	const refusal = reachRefusal(reach, 'userId');
	if (refusal) throw refusal;
	// Only my own count: a direct chat I open does not count against the other person's cap (C11b).
	await assertRoomForConversations(deps.db, deps, me, [me], 'userId');

	const id = randomId();
	const inserted = await deps.db.transaction(async (tx) => {
		// Two first messages at once: the unique pair key lets one insert win; the other returns it.
		if (
			!(await insertConversation(tx, {
				id,
				kind: 'direct',
				title: '',
				description: '',
				public: false,
				createdBy: me,
				directKey: directKey(me, other)
			}))
		)
			return false;
		// Both members are owners: either may pin and delete the conversation.
		await insertMembers(tx, id, [
			{ userId: me, role: 'owner' },
			{ userId: other, role: 'owner' }
		]);
		return true;
	});
	if (!inserted) {
		const winner = (await directConversationId(deps.db, me, other))!;
		return { conversation: (await viewConversation(deps.db, winner, me))!, created: false };
	}
	await announce(deps, id, [], metaOf('direct', '', '', deps.now()));
	deps.events.emit('membershipChanged', { conversationId: id, userIds: [me, other] });
	return { conversation: (await viewConversation(deps.db, id, me))!, created: true };
}
