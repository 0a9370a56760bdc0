/**
 * Who may do what in a conversation, one contract for the server, the relay and the browser: the
 * role and kind unions (the sync layer's own, `src/lib/sync/context.ts`) and what the chat offers
 * on a message, derived from the relay's rules (`src/lib/sync/rules.ts`: R14–R19, R23) so that
 * the menu and the relay cannot drift apart.
 */
import type { ConversationKind, Role, WriteContext } from '../sync/context.js';
import { keyVerdict, messageDeleteVerdict, postVerdict } from '../sync/rules.js';
import { reactionKey, type MessageKind } from '../sync/schema.js';

export type { ConversationKind, Role, MessageKind };

/** Every role, strongest first. */
export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'subscriber'];

/** Every conversation kind. */
export const CONVERSATION_KINDS: readonly ConversationKind[] = ['direct', 'group', 'channel'];

/** What a role may do with a message, as the message menu offers it. */
export interface MessagePermissions {
	reply: boolean;
	react: boolean;
	edit: boolean;
	pin: boolean;
	delete: boolean;
	readBy: boolean;
}

/** Stand-in ids for asking the rules about "a message" of "me" or of "someone else". */
const ME = 'me';
const OTHER = 'someone-else';
const MESSAGE = 'message';

/**
 * The actions offered on a message, by my role in the conversation and the message's kind and
 * author: each is what the relay's rule for that write says, plus what only the screen knows
 * (a system notice is not replied to, reacted to, edited or pinned; "Read by" lists a group's
 * readers of my confirmed message).
 */
export function messagePermissions(input: {
	own: boolean;
	kind: MessageKind;
	role: Role;
	conversation: ConversationKind;
	/** the message is on this device only (not yet confirmed): nobody else could have read it */
	pending?: boolean;
}): MessagePermissions {
	const ctx: WriteContext = { userId: ME, role: input.role, kind: input.conversation, clientOwner: () => undefined };
	const author = input.own ? ME : OTHER;
	const authorOf = (id: string) => (id === MESSAGE ? author : undefined);
	const allowed = (root: 'edits' | 'reactions' | 'pins', key: string) =>
		keyVerdict(ctx, authorOf, root, key, { waiveExistence: false }) === null;
	const system = input.kind === 'system';
	return {
		reply: !system && postVerdict(ctx) === null,
		react: !system && allowed('reactions', reactionKey(MESSAGE, ME)),
		edit: (input.kind === 'text' || input.kind === 'media') && allowed('edits', MESSAGE),
		pin: !system && allowed('pins', MESSAGE),
		delete: messageDeleteVerdict(ctx, { author, kind: input.kind }) === null,
		readBy: input.own && !system && input.conversation === 'group' && input.pending !== true
	};
}
