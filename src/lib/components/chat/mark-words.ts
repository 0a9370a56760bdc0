/**
 * Marks the words a search matched inside a rendered message (`<mark class="search-mark">`): the
 * search box's `highlights` (the words as written) or the find bar's. Works on the rendered
 * Markdown's text nodes, so links and formatting stay as they are; whole words only, any case.
 */

const MARK_CLASS = 'search-mark';

/** Removes the marks this action added. */
function unmark(node: HTMLElement): void {
	const marks = node.querySelectorAll(`mark.${MARK_CLASS}`);
	if (marks.length === 0) return;
	for (const mark of marks) mark.replaceWith(document.createTextNode(mark.textContent ?? ''));
	node.normalize();
}

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Wraps every whole-word occurrence of `words` in the node's text in a mark. */
function mark(node: HTMLElement, words: readonly string[]): void {
	const list = [...new Set(words.filter((w) => w.trim() !== ''))].sort((a, b) => b.length - a.length);
	if (list.length === 0) return;
	const pattern = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])(?:${list.map(escape).join('|')})(?![\\p{L}\\p{N}\\p{M}])`, 'giu');
	const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
	const texts: Text[] = [];
	for (let current = walker.nextNode(); current; current = walker.nextNode()) texts.push(current as Text);
	for (const text of texts) {
		const value = text.data;
		pattern.lastIndex = 0;
		if (!pattern.test(value)) continue;
		pattern.lastIndex = 0;
		const fragment = document.createDocumentFragment();
		let at = 0;
		for (const match of value.matchAll(pattern)) {
			if (match.index > at) fragment.append(value.slice(at, match.index));
			const el = document.createElement('mark');
			el.className = MARK_CLASS;
			el.textContent = match[0];
			fragment.append(el);
			at = match.index + match[0].length;
		}
		if (at < value.length) fragment.append(value.slice(at));
		text.replaceWith(fragment);
	}
}

/** Marks `words` in the node's text, replacing the marks it had (none when `words` is empty). */
export function applyMarks(node: HTMLElement, words: readonly string[] | undefined): void {
	unmark(node);
	if (words?.length) mark(node, words);
}
