/** Editing and deleting a conversation, and each member's own settings (mute, pin, archive). */
import type { z } from 'zod';
import { fieldError } from '../http-errors.js';
import { conversationDocName } from '../doc-names.js';
import type { editConversationSchema } from './schemas.js';
import { lockAsMember, noSuchConversation, refuseDirect, requireAllowed, type Deps } from './context.js';
import { isModerator } from './permissions.js';
import { announce } from './system.js';
import { deleteConversation, memberIds, updateConversation, updateSettings, type MemberSettings } from './store.js';
import { viewConversation, type ConversationView } from './views.js';

type EditInput = z.output<ReturnType<typeof editConversationSchema>>;

/** Changes title, description or `public` (channels only) of a group or channel (owner/admin). */
export async function editConversation(deps: Deps, me: string, conversationId: string, input: EditInput): Promise<ConversationView> {
	const before = await deps.db.transaction(async (tx) => {
		const { conversation, role } = await lockAsMember(tx, conversationId, me);
		refuseDirect(conversation, 'title, description or visibility');
		requireAllowed(isModerator(role), 'Only the owner or an admin may edit the conversation');
		if (input.public !== undefined && conversation.kind !== 'channel') throw fieldError('public', 'only channels can be public');
		await updateConversation(tx, conversationId, input);
		return conversation;
	});
	const titleChanged = input.title !== undefined && input.title !== before.title;
	deps.events.emit('conversationEdited', { conversationId });
	await announce(deps, conversationId, titleChanged ? [{ actor: me, system: { event: 'title_changed', title: input.title } }] : [], {
		title: input.title,
		description: input.description
	});
	return (await viewConversation(deps.db, conversationId, me))!;
}

/** Deletes a conversation for everyone: its owner (either person of a direct conversation) only. */
export async function removeConversation(deps: Deps, me: string, conversationId: string): Promise<void> {
	const members = await deps.db.transaction(async (tx) => {
		const { role } = await lockAsMember(tx, conversationId, me);
		requireAllowed(role === 'owner', 'Only the owner may delete the conversation');
		const ids = await memberIds(tx, conversationId);
		await deleteConversation(tx, conversationId);
		return ids;
	});
	await finishDeletion(deps, conversationId, members);
}

/**
 * After the rows are gone (so a reconnect is refused 403): the document goes everywhere (its
 * sockets close with 4404; its stored updates and projected messages are deleted) and the inbox
 * drops the entry of every former member.
 */
export async function finishDeletion(deps: Deps, conversationId: string, formerMembers: string[]): Promise<void> {
	try {
		await deps.docs.remove(conversationDocName(conversationId));
	} catch (error) {
		deps.log.error({ err: error, conversationId }, 'could not remove the document of a deleted conversation');
	}
	deps.events.emit('conversationDeleted', { conversationId, userIds: formerMembers });
}

/** Changes this member's own flags; returns all of them. */
export async function changeSettings(
	deps: Deps,
	me: string,
	conversationId: string,
	patch: Partial<MemberSettings>
): Promise<MemberSettings> {
	const settings = await updateSettings(deps.db, conversationId, me, patch);
	if (!settings) throw noSuchConversation();
	deps.events.emit('conversationEdited', { conversationId, userIds: [me] });
	return settings;
}
