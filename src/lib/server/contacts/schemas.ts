/** Input schemas of `/api/contacts` (limits from the configuration). */
import { z } from 'zod';
import type { Limits } from '../config.js';
import { textSchema } from '$lib/text';

/** A user id as issued by the server. */
export const userIdSchema = z.string().regex(/^[a-z2-7]{24}$/, 'must be a user id');

// A name shown in lists: one line, no bidi overrides, something visible ("" clears it).
const alias = (limits: Limits) => textSchema({ max: limits.contactAliasMaxLength, name: true });

/** `POST /api/contacts`: by username (as typed: case is ignored) or by id, with an optional alias. */
export const addContactSchema = (limits: Limits) =>
	z
		.object({
			username: textSchema({ max: 64, min: 1 }).toLowerCase().optional(),
			userId: userIdSchema.optional(),
			alias: alias(limits).nullable().optional()
		})
		.strict()
		.refine((v) => (v.username === undefined) !== (v.userId === undefined), {
			message: 'give exactly one of username and userId',
			path: ['username']
		});

/** `PATCH /api/contacts/:userId`: `alias: null` (or "") clears it. */
export const patchContactSchema = (limits: Limits) => z.object({ alias: alias(limits).nullable() }).strict();

/** `POST /api/contacts/block`. */
export const blockSchema = z.object({ userId: userIdSchema }).strict();
