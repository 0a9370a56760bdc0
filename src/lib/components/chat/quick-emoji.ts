// The reactions offered at once in a message's menu (the full picker has the rest).

/** Quick reactions, in the order shown. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏', '🔥', '🎉'] as const;

/** How many of the person's frequently used emoji lead the bar (the rest are the defaults above, 👍 ❤️ 😂 always among them). */
export const QUICK_FREQUENT = 5;

/** The bar: the person's most used emoji first, then the defaults, no repeats, as many as QUICK_REACTIONS. */
export function quickReactions(frequent: readonly string[]): string[] {
	return [...new Set([...frequent.slice(0, QUICK_FREQUENT), ...QUICK_REACTIONS])].slice(0, QUICK_REACTIONS.length);
}
