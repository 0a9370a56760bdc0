/** Bodies and queries of the admin API. */
import { z } from 'zod';

/** PATCH /api/admin/users/:id: one or more changes. */
export const accountPatchSchema = z
	.object({
		disabled: z.boolean().optional(),
		role: z.enum(['admin', 'user']).optional(),
		twoFactorEnabled: z.literal(false).optional(),
		/** The admin's own password: needed to turn off one's own 2FA. */
		password: z.string().min(1).max(256).optional()
	})
	.refine((b) => b.disabled !== undefined || b.role !== undefined || b.twoFactorEnabled !== undefined, 'nothing to change');

/** POST /api/admin/users/:id/reset-link: the admin's own password, needed for a link to one's own account. */
export const resetLinkSchema = z.object({ password: z.string().min(1).max(256).optional() });

/** A typed confirmation (clearing messages). */
export const confirmSchema = z.object({ confirm: z.string().max(64) });

/** DELETE /api/me: the password, and the second factor when it is on. */
export const deleteSelfSchema = z.object({ password: z.string().min(1).max(256), code: z.string().max(64).optional() });
