/** Joining by oneself: through an invite link, or a public channel found by search. */
import type { Queryable } from '../db/index.js';
import { assertRoomForConversations, conversationFull, maxMembers, noSuchConversation, type Deps } from './context.js';
import { defaultRole } from './permissions.js';
import { announce } from './system.js';
import { insertMember, lockConversation, memberCount, roleIn } from './store.js';
import { viewConversation, type ConversationView } from './views.js';

/**
 * Makes `me` a member (subscriber in a channel); `created: false` when already one. `allowed`
 * decides on the locked row whether this way in is open (e.g. the channel is still public).
 */
export async function joinConversation(
	deps: Deps,
	me: string,
	conversationId: string,
	allowed: (tx: Queryable, conversation: { kind: string; public: boolean }) => boolean | Promise<boolean>
): Promise<{ conversation: ConversationView; created: boolean }> {
	const joined = await deps.db.transaction(async (tx) => {
		const conversation = await lockConversation(tx, conversationId);
		if (!conversation) throw noSuchConversation();
		if (await roleIn(tx, conversationId, me)) return null;
		if (conversation.kind === 'direct' || !(await allowed(tx, conversation))) throw noSuchConversation();
		const limit = maxMembers(deps, conversation.kind);
		if ((await memberCount(tx, conversationId)) >= limit) throw conversationFull(limit);
		await assertRoomForConversations(tx, deps, me, [me], 'conversation');
		const role = defaultRole(conversation.kind);
		await insertMember(tx, conversationId, { userId: me, role });
		return { kind: conversation.kind, role };
	});
	if (joined) {
		// A channel's subscribers do not see each other: no history entry, only the joiner's inbox changes.
		const visible = joined.kind !== 'channel';
		deps.events.emit('membershipChanged', visible ? { conversationId } : { conversationId, userIds: [me] });
		if (visible) await announce(deps, conversationId, [{ actor: me, system: { event: 'member_joined', userId: me, role: joined.role } }]);
	}
	return { conversation: (await viewConversation(deps.db, conversationId, me))!, created: joined !== null };
}
