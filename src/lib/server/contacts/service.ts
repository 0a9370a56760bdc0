/**
 * What the contact routes do, with their refusals as ApiErrors. Changes are announced
 * (`contactsChanged`, `blocksChanged`) so that presence and open sockets follow them at once.
 */
import type { Queryable } from '../db/index.js';
import type { ParleyEvents } from '../events.js';
import { ApiError } from '../http-errors.js';
import {
	deleteBlock,
	deleteContact,
	getContact,
	hasBlocked,
	insertBlock,
	insertContact,
	setContactAlias,
	userExists,
	userIdByUsername,
	type ContactView
} from './store.js';

/** What the contact service works with. */
export interface ContactsDeps {
	db: Queryable;
	events: ParleyEvents;
}

const noSuchUser = () => new ApiError(404, 'not_found', 'No such user');
const notAContact = () => new ApiError(404, 'not_found', 'Not one of your contacts');
/** An empty alias means "no alias": the contact's display name shows again. */
const normalAlias = (alias: string | null | undefined) => (alias ? alias : null);

/**
 * Adds a contact by username or id; `created: false` when they already were one (returned as is).
 * Someone who blocked me is "No such user" (404), word for word what an unknown name gets: user
 * search already hides them from me, and a 403 would tell me that I was blocked.
 */
export async function addContact(
	{ db, events }: ContactsDeps,
	me: string,
	input: { username?: string; userId?: string; alias?: string | null }
): Promise<{ contact: ContactView; created: boolean }> {
	const id = input.userId ?? (await userIdByUsername(db, input.username!));
	if (!id || !(await userExists(db, id))) throw noSuchUser();
	if (id === me) throw new ApiError(400, 'invalid_input', `${input.userId ? 'userId' : 'username'}: you cannot add yourself`);
	if (await hasBlocked(db, id, me)) throw noSuchUser();
	const created = await insertContact(db, me, id, normalAlias(input.alias));
	if (created) events.emit('contactsChanged', { ownerId: me, contactId: id });
	return { contact: (await getContact(db, me, id))!, created };
}

/** Sets or clears the alias I see for a contact. */
export async function renameContact(db: Queryable, me: string, contactId: string, alias: string | null): Promise<ContactView> {
	if (!(await setContactAlias(db, me, contactId, normalAlias(alias)))) throw notAContact();
	return (await getContact(db, me, contactId))!;
}

/** Removes a contact. */
export async function removeContact({ db, events }: ContactsDeps, me: string, contactId: string): Promise<void> {
	if (!(await deleteContact(db, me, contactId))) throw notAContact();
	events.emit('contactsChanged', { ownerId: me, contactId });
}

/**
 * Blocks a user (idempotent); `created: false` when they already were blocked. A contact relation
 * either way stays (an unblock restores it) but no longer carries presence.
 */
export async function blockUser({ db, events }: ContactsDeps, me: string, userId: string): Promise<{ created: boolean }> {
	if (userId === me) throw new ApiError(400, 'invalid_input', 'userId: you cannot block yourself');
	if (!(await userExists(db, userId))) throw noSuchUser();
	const created = await insertBlock(db, me, userId);
	if (created) events.emit('blocksChanged', { blockerId: me, blockedId: userId, blocked: true });
	return { created };
}

/** Lifts a block (the other person's block of me, if any, stands). */
export async function unblockUser({ db, events }: ContactsDeps, me: string, userId: string): Promise<void> {
	if (!(await deleteBlock(db, me, userId))) throw new ApiError(404, 'not_found', 'You have not blocked this user');
	events.emit('blocksChanged', { blockerId: me, blockedId: userId, blocked: await hasBlocked(db, userId, me) });
}
