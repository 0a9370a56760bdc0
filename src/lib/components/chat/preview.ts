// One line that stands for a message in a quote, the reply bar or the pinned bar.
import * as m from '$lib/i18n/paraglide/messages.js';

/** The snippet, or what kind of message it is when it has no text (a sticker, captionless media). */
export function previewText(item: { snippet: string; kind?: string }): string {
	if (item.snippet) return item.snippet;
	if (item.kind === 'sticker') return m.act_sticker();
	if (item.kind === 'media') return m.act_media();
	return '';
}
