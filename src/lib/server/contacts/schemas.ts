/** Input schemas of `/api/contacts` (limits from the configuration). */
import { z } from 'zod';
import type { Limits } from '../config.js';

/** A user id as issued by the server. */
export const userIdSchema = z.string().regex(/^[a-z2-7]{24}$/, 'must be a user id');

const alias = (limits: Limits) =>
	// No control characters: an alias is one line of text shown in lists (and NUL cannot be stored).
	z.string().trim().regex(/^[^\p{Cc}]*$/u, 'must not contain control characters').max(limits.contactAliasMaxLength, `must be at most ${limits.contactAliasMaxLength} characters`);

/** `POST /api/contacts`: by username (as typed: case is ignored) or by id, with an optional alias. */
export const addContactSchema = (limits: Limits) =>
	z
		.object({
			username: z.string().trim().min(1).max(64).toLowerCase().optional(),
			userId: userIdSchema.optional(),
			alias: alias(limits).nullable().optional()
		})
		.strict()
		.refine((v) => (v.username === undefined) !== (v.userId === undefined), { message: 'give exactly one of username and userId', path: ['username'] });

/** `PATCH /api/contacts/:userId`: `alias: null` (or "") clears it. */
export const patchContactSchema = (limits: Limits) => z.object({ alias: alias(limits).nullable() }).strict();

/** `POST /api/contacts/block`. */
export const blockSchema = z.object({ userId: userIdSchema }).strict();
