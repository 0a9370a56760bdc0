/**
 * Limits the browser needs to know as well as the server: defined once here, and taken into the
 * server's one config object (`DEFAULT_LIMITS` in src/lib/server/config.ts) from here, so that a
 * change reaches both. Pure data: this module is bundled into the app.
 */
export const SHARED_LIMITS = {
	/** Largest avatar or conversation picture upload (bytes); the stored WebP is far smaller. */
	avatarMaxBytes: 5 * 1024 * 1024,
	/** Members one page of `GET /api/conversations/:id/members` answers (channels can be large). */
	conversationMembersPageMax: 500
} as const;
