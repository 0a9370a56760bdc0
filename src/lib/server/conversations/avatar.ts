/**
 * Group and channel pictures, through the accounts' image pipeline (typed by their bytes, square
 * WebP, no metadata). Stored in the database like user avatars; served to members, and to anyone
 * signed in for a public channel (search results show it).
 */
import { toAvatarWebp } from '../accounts/avatars.js';
import type { Runtime } from '../runtime.js';
import { randomId } from '../ids.js';
import { lockAsMember, noSuchConversation, refuseDirect, requireAllowed, type Deps } from './context.js';
import { isModerator } from './permissions.js';
import { announce } from './system.js';
import { getConversation, roleIn, setAvatarUrl } from './store.js';

const SQL = {
	insert: `insert into conversation_avatars (id, conversation_id, data) values ($1, $2, $3)`,
	deleteOthers: `delete from conversation_avatars where conversation_id = $1 and id <> $2`,
	deleteAll: `delete from conversation_avatars where conversation_id = $1`,
	get: `select data from conversation_avatars where id = $1 and conversation_id = $2`
};

/** Where a conversation's avatar is served; the id changes with every upload, so answers never change. */
export const conversationAvatarUrl = (conversationId: string, avatarId: string) =>
	`/api/conversations/${conversationId}/avatar/${avatarId}`;

/** Replaces (bytes) or removes (null) the picture of a group or channel (owner/admin); returns its URL. */
export async function setConversationAvatar(
	deps: Deps & Pick<Runtime, 'imageWork'>,
	me: string,
	conversationId: string,
	bytes: Uint8Array | null
): Promise<string | null> {
	// Who may change it, before any image work (a stranger's bytes are never decoded); checked
	// again under the lock below.
	if (bytes) {
		const role = await roleIn(deps.db, conversationId, me);
		if (!role) throw noSuchConversation();
		requireAllowed(isModerator(role), 'Only the owner or an admin may change the picture');
	}
	// Convert before taking the lock: decoding an image takes a while and needs no database.
	const webp = bytes ? await toAvatarWebp(bytes, deps.config.limits, deps.imageWork, me) : null;
	const avatarId = randomId();
	const url = webp ? conversationAvatarUrl(conversationId, avatarId) : null;
	await deps.db.transaction(async (tx) => {
		const { conversation, role } = await lockAsMember(tx, conversationId, me);
		refuseDirect(conversation, 'picture of its own');
		requireAllowed(isModerator(role), 'Only the owner or an admin may change the picture');
		if (webp) {
			await tx.query(SQL.insert, [avatarId, conversationId, webp]);
			await tx.query(SQL.deleteOthers, [conversationId, avatarId]);
		} else await tx.query(SQL.deleteAll, [conversationId]);
		await setAvatarUrl(tx, conversationId, url);
	});
	deps.events.emit('conversationEdited', { conversationId });
	await announce(deps, conversationId, [], { avatarUrl: url });
	return url;
}

/** The WebP bytes of a conversation's avatar for `me`, or 404. */
export async function readConversationAvatar(deps: Deps, me: string, conversationId: string, avatarId: string): Promise<Uint8Array> {
	const conversation = await getConversation(deps.db, conversationId);
	const visible = conversation && ((conversation.kind === 'channel' && conversation.public) || (await roleIn(deps.db, conversationId, me)));
	if (!visible) throw noSuchConversation();
	const [row] = await deps.db.query<{ data: Uint8Array }>(SQL.get, [avatarId, conversationId]);
	if (!row) throw noSuchConversation();
	return new Uint8Array(row.data);
}
