/** What the contact routes do, with their refusals as ApiErrors. */
import type { Queryable } from '../db/index.js';
import { ApiError } from '../http-errors.js';
import {
	deleteBlock,
	deleteContact,
	getContact,
	insertBlock,
	insertContact,
	setContactAlias,
	userExists,
	userIdByUsername,
	type ContactView
} from './store.js';

const noSuchUser = () => new ApiError(404, 'not_found', 'No such user');
const notAContact = () => new ApiError(404, 'not_found', 'Not one of your contacts');
/** An empty alias means "no alias": the contact's display name shows again. */
const normalAlias = (alias: string | null | undefined) => (alias ? alias : null);

/** Adds a contact by username or id; `created: false` when they already were one (returned as is). */
export async function addContact(
	db: Queryable,
	me: string,
	input: { username?: string; userId?: string; alias?: string | null }
): Promise<{ contact: ContactView; created: boolean }> {
	const id = input.userId ?? (await userIdByUsername(db, input.username!));
	if (!id || !(await userExists(db, id))) throw noSuchUser();
	if (id === me) throw new ApiError(400, 'invalid_input', `${input.userId ? 'userId' : 'username'}: you cannot add yourself`);
	const created = await insertContact(db, me, id, normalAlias(input.alias));
	return { contact: (await getContact(db, me, id))!, created };
}

/** Sets or clears the alias I see for a contact. */
export async function renameContact(db: Queryable, me: string, contactId: string, alias: string | null): Promise<ContactView> {
	if (!(await setContactAlias(db, me, contactId, normalAlias(alias)))) throw notAContact();
	return (await getContact(db, me, contactId))!;
}

/** Removes a contact. */
export async function removeContact(db: Queryable, me: string, contactId: string): Promise<void> {
	if (!(await deleteContact(db, me, contactId))) throw notAContact();
}

/** Blocks a user (idempotent); `created: false` when they already were blocked. */
export async function blockUser(db: Queryable, me: string, userId: string): Promise<{ created: boolean }> {
	if (userId === me) throw new ApiError(400, 'invalid_input', 'userId: you cannot block yourself');
	if (!(await userExists(db, userId))) throw noSuchUser();
	return { created: await insertBlock(db, me, userId) };
}

/** Lifts a block. */
export async function unblockUser(db: Queryable, me: string, userId: string): Promise<void> {
	if (!(await deleteBlock(db, me, userId))) throw new ApiError(404, 'not_found', 'You have not blocked this user');
}
