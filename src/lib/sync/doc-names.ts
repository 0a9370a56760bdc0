/** Names of Yjs documents (SPEC §4): the relay, the API and the browser agree on them here. */

const INBOX_PREFIX = 'inbox.';
const CONVERSATION_PREFIX = 'conv.';
const DRAFTS_PREFIX = 'drafts.';

/** The inbox document of a user. */
export const inboxDocName = (userId: string) => INBOX_PREFIX + userId;

/** The document of a conversation. */
export const conversationDocName = (conversationId: string) => CONVERSATION_PREFIX + conversationId;

/** The private drafts document of a user (R26: only its owner opens it). */
export const draftsDocName = (userId: string) => DRAFTS_PREFIX + userId;

/** What a document name refers to, or null for a name Parley never issues. */
export function parseDocName(
	name: string
): { kind: 'inbox'; userId: string } | { kind: 'drafts'; userId: string } | { kind: 'conversation'; conversationId: string } | null {
	const id = /^[a-z2-7]{24}$/;
	if (name.startsWith(INBOX_PREFIX) && id.test(name.slice(INBOX_PREFIX.length)))
		return { kind: 'inbox', userId: name.slice(INBOX_PREFIX.length) };
	if (name.startsWith(DRAFTS_PREFIX) && id.test(name.slice(DRAFTS_PREFIX.length)))
		return { kind: 'drafts', userId: name.slice(DRAFTS_PREFIX.length) };
	if (name.startsWith(CONVERSATION_PREFIX) && id.test(name.slice(CONVERSATION_PREFIX.length)))
		return { kind: 'conversation', conversationId: name.slice(CONVERSATION_PREFIX.length) };
	return null;
}
