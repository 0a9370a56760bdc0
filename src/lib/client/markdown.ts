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

/** One line of plain text for previews and notifications (Markdown markers dropped, whitespace collapsed). */
export function plainPreview(text: string, maxLength = 140): string {
	const plain = text
		.replace(/```[\s\S]*?```/g, (block) => block.replace(/```\w*/g, ''))
		.replace(/[*_~`>#]/g, '')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > maxLength ? plain.slice(0, maxLength - 1) + '…' : plain;
}
