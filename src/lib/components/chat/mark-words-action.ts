/**
 * Svelte action: `<div use:markWords={words}>` marks the words a search matched in a rendered
 * message (mark-words.ts, loaded on first need: most messages are never searched).
 */
export function markWords(node: HTMLElement, words: readonly string[] | undefined) {
	let latest = words;
	let marked = false;
	const apply = (next: readonly string[] | undefined) => {
		latest = next;
		if (!next?.length && !marked) return;
		void import('./mark-words').then(({ applyMarks }) => {
			if (latest !== next) return;
			applyMarks(node, next);
			marked = Boolean(next?.length);
		});
	};
	apply(words);
	return { update: apply };
}
