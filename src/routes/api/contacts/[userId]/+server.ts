// PATCH /api/contacts/:userId {alias} → {contact} (null or "" clears it); DELETE → 204.
import { json } from '@sveltejs/kit';
import { apiHandler, readBody } from '$lib/server/http-errors';
import { requireUser } from '$lib/server/auth/guard';
import { runtimeOf } from '$lib/server/runtime';
import { pathId } from '$lib/server/conversations/context';
import { patchContactSchema } from '$lib/server/contacts/schemas';
import { removeContact, renameContact } from '$lib/server/contacts/service';

export const PATCH = apiHandler(async (event) => {
	const { user } = requireUser(event);
	const runtime = runtimeOf(event);
	const contactId = pathId(event.params.userId, 'contact');
	const { alias } = await readBody(event, patchContactSchema(runtime.config.limits));
	return json({ contact: await renameContact(runtime.db, user.id, contactId, alias) });
});

export const DELETE = apiHandler(async (event) => {
	const { user } = requireUser(event);
	await removeContact(runtimeOf(event), user.id, pathId(event.params.userId, 'contact'));
	return new Response(null, { status: 204 });
});
