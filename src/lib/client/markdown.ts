/**
 * Message Markdown → HTML for `{@html}`: markdown-it with raw HTML off, so every `<` a message
 * holds is escaped; links only to http(s) and mailto, opened in a new tab without an opener or a
 * referrer; no images (a remote image would let a sender track readers, as R10 says of URLs).
 * Bold, italic, strike, inline and block code, lists, quotes, links; nothing a message holds can
 * run script.
 */
import MarkdownIt from 'markdown-it';

type Md = ReturnType<typeof MarkdownIt>;

/** Link schemes a message may point to. */
const SAFE_LINK = /^(https?:|mailto:)/i;

function create(): Md {
	const md = new MarkdownIt('default', { html: false, linkify: true, breaks: true, typographer: false });
	// tables, headings, rules and images are not message formatting; images could track readers
	md.disable(['table', 'heading', 'lheading', 'hr', 'image', 'reference', 'html_block', 'html_inline']);
	md.validateLink = (url) => SAFE_LINK.test(url.trim());
	const renderToken = md.renderer.renderToken.bind(md.renderer);
	md.renderer.rules.link_open = (tokens, idx, options) => {
		const token = tokens[idx]!;
		token.attrSet('target', '_blank');
		token.attrSet('rel', 'noopener noreferrer');
		return renderToken(tokens, idx, options);
	};
	return md;
}

let instance: Md | null = null;

/** A message's Markdown source as safe HTML (render with `{@html}`). */
export function renderMarkdown(text: string): string {
	instance ??= create();
	return instance.render(text);
}

/** Previews kept by `plainPreview` (the chat list asks again on every inbox change). */
const PREVIEW_CACHE_MAX = 500;
const previews = new Map<string, string>();

/**
 * One line of plain text for previews and notifications: the words as the message shows them
 * (read by the same parser as `renderMarkdown`, so `**bold**` gives "bold" and `snake_case` stays),
 * markers, link targets and line breaks dropped, whitespace collapsed, capped with an ellipsis.
 */
export function plainPreview(text: string, maxLength = 140): string {
	const key = `${maxLength}:${text}`;
	let plain = previews.get(key);
	if (plain === undefined) {
		instance ??= create();
		const words: string[] = [];
		for (const token of instance.parse(text, {})) {
			if (token.type === 'fence' || token.type === 'code_block') words.push(token.content);
			for (const child of token.children ?? []) {
				if (child.type === 'text' || child.type === 'code_inline') words.push(child.content);
				else if (child.type === 'softbreak' || child.type === 'hardbreak') words.push(' ');
			}
			if (token.type === 'inline' || token.type.endsWith('_close')) words.push(' ');
		}
		plain = words.join('').replace(/\s+/g, ' ').trim();
		if (plain.length > maxLength) plain = plain.slice(0, maxLength - 1) + '…';
		if (previews.size >= PREVIEW_CACHE_MAX) previews.delete(previews.keys().next().value!);
		previews.set(key, plain);
	}
	return plain;
}
