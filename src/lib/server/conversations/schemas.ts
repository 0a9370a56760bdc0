/** Input schemas of the conversation routes (SPEC §3); limits come from the configuration. */
import { z } from 'zod';
import type { Limits } from '../config.js';
import { userIdSchema } from '../contacts/schemas.js';
import { textSchema } from '$lib/text';

/** A title: one line with something visible, no control or bidi-override characters (`$lib/text`). */
const title = (limits: Limits) => textSchema({ max: limits.conversationTitleMaxLength, min: 1, name: true });
/** A description: several lines allowed, otherwise the same rules. */
const description = (limits: Limits) => textSchema({ max: limits.conversationDescriptionMaxLength, multiline: true, name: true });

/** `POST /api/conversations`. */
export const createConversationSchema = (limits: Limits) =>
	z.discriminatedUnion('kind', [
		z.object({ kind: z.literal('direct'), userId: userIdSchema }),
		z.object({
			kind: z.literal('group'),
			title: title(limits),
			description: description(limits).default(''),
			memberIds: z
				.array(userIdSchema)
				.max(limits.groupMaxMembers - 1, `a group has at most ${limits.groupMaxMembers} members`)
				.default([])
		}),
		z.object({
			kind: z.literal('channel'),
			title: title(limits),
			description: description(limits).default(''),
			public: z.boolean().default(false)
		})
	]);

/** `PATCH /api/conversations/:id`: at least one field. */
export const editConversationSchema = (limits: Limits) =>
	z
		.object({ title: title(limits), description: description(limits), public: z.boolean() })
		.partial()
		.strict()
		.refine((v) => Object.keys(v).length > 0, { message: 'give title, description or public' });

/** Roles one may give with the API (ownership moves with `role: "owner"` on PATCH only). */
export const grantableRole = z.enum(['admin', 'member', 'subscriber']);

/** `POST /api/conversations/:id/members`. */
export const addMemberSchema = z.object({ userId: userIdSchema, role: grantableRole.optional() }).strict();

/** `PATCH /api/conversations/:id/members/:userId`; `owner` hands the conversation over. */
export const setRoleSchema = z.object({ role: z.enum(['owner', 'admin', 'member', 'subscriber']) }).strict();

/** `PATCH /api/conversations/:id/settings`: this member's own flags. */
export const settingsSchema = z
	.object({ muted: z.boolean(), pinned: z.boolean(), archived: z.boolean() })
	.partial()
	.strict()
	.refine((v) => Object.keys(v).length > 0, { message: 'give muted, pinned or archived' });

/** Server-issued ids (conversations, users, invites): anything else in a path is a 404. */
export const ID_PATTERN = /^[a-z2-7]{24}$/;
