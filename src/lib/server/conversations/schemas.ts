/** Input schemas of the conversation routes (SPEC §3). */
import { z } from 'zod';

const userId = z.string().regex(/^[a-z2-7]{24}$/, 'must be a user id');

/** Limits of conversation input. */
export const CONVERSATION_LIMITS = { titleMaxLength: 128, groupMaxMembers: 1000 } as const;

export const createConversationSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('direct'), userId }),
	z.object({
		kind: z.literal('group'),
		title: z.string().trim().min(1).max(CONVERSATION_LIMITS.titleMaxLength),
		memberIds: z.array(userId).max(CONVERSATION_LIMITS.groupMaxMembers - 1).default([])
	}),
	z.object({ kind: z.literal('channel'), title: z.string().trim().min(1).max(CONVERSATION_LIMITS.titleMaxLength) })
]);

export const addMemberSchema = z.object({ userId, role: z.enum(['admin', 'member', 'subscriber']).optional() });
