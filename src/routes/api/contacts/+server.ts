// GET /api/contacts → {contacts: [{user, alias, createdAt}]}; POST {username | userId, alias?} → 201 {contact}
// (200 with the existing one when already a contact).
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { addContactSchema } from '$lib/server/contacts/schemas';
import { addContact } from '$lib/server/contacts/service';
import { listContacts } from '$lib/server/contacts/store';

export const GET = apiHandler(async (event) => {
	const { user } = requireUser(event);
	return json({ contacts: await listContacts(runtimeOf(event).db, user.id) });
});

export const POST = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const input = await readBody(event, addContactSchema(runtime.config.limits));
	const { contact, created } = await addContact(runtime, user.id, input);
	return json({ contact }, { status: created ? 201 : 200 });
});
