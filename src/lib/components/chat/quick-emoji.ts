// The reactions offered at once in a message's menu (the full picker has the rest).

/** Quick reactions, in the order shown. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏', '🔥', '🎉'] as const;
