/**
 * Mentions in the composer and in messages (pure). Typing `@` after a space (or at the start)
 * opens the member picker on what follows; choosing a member writes `@Name ` and remembers the
 * id. A sent message carries the ids still written in its text as `mentions` (R28: the relay
 * accepts only members); a shown message turns each `@Name` of a mentioned id into a button that
 * opens the profile card (docs/notifications.md#mentions).
 */
import { SYNC_LIMITS } from '../sync/schema.js';

/** A member who can be mentioned. */
export interface Mentionable {
	id: string;
	name: string;
	username?: string;
}

/** Limits of the picker. */
export const MENTION_LIMITS = {
	/** suggestions shown at once: a short list stays readable and quick to walk with arrows */
	suggestions: 8,
	/** characters after `@` still read as a name being typed */
	queryMax: 32
} as const;

/** The `@word` being typed before `caret`: where its `@` is and what follows; null when none. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
	const before = text.slice(0, caret);
	const at = before.lastIndexOf('@');
	if (at < 0) return null;
	if (at > 0 && !/\s|[([{"'«]/.test(before[at - 1]!)) return null;
	const query = before.slice(at + 1);
	if (query.length > MENTION_LIMITS.queryMax || /[\s@]/.test(query)) return null;
	return { start: at, query };
}

/** Members whose name or username starts (then contains) `query`, case-insensitive, at most `max`. */
export function matchMembers(members: readonly Mentionable[], query: string, max: number = MENTION_LIMITS.suggestions): Mentionable[] {
	const q = query.toLocaleLowerCase();
	const scored: [number, Mentionable][] = [];
	for (const member of members) {
		const name = member.name.toLocaleLowerCase();
		const user = member.username?.toLocaleLowerCase() ?? '';
		const score =
			q === ''
				? 1
				: name.startsWith(q) || user.startsWith(q)
					? 0
					: name.split(/\s+/).some((w) => w.startsWith(q))
						? 1
						: name.includes(q) || user.includes(q)
							? 2
							: -1;
		if (score >= 0) scored.push([score, member]);
	}
	scored.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name));
	return scored.slice(0, max).map(([, member]) => member);
}

/** Writes `@Name ` over the `@query` from `start` to `caret`; the new text and caret. */
export function applyMention(text: string, start: number, caret: number, name: string): { text: string; caret: number } {
	const inserted = `@${name} `;
	const rest = text.slice(caret).replace(/^\s/, '');
	return { text: text.slice(0, start) + inserted + rest, caret: start + inserted.length };
}

/** The ids of `picked` members whose `@Name` is still in `text` (distinct, at most the relay's limit). */
export function mentionIds(text: string, picked: readonly Mentionable[]): string[] {
	const ids: string[] = [];
	for (const member of picked) {
		if (ids.includes(member.id) || !text.includes(`@${member.name}`)) continue;
		ids.push(member.id);
		if (ids.length === SYNC_LIMITS.maxMentions) break;
	}
	return ids;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Rendered message HTML with each `@Name` of a mentioned person made a button (`data-mention` =
 * their id; class `me` when it is me). Only text between tags is touched, never attributes or the
 * inside of links and code.
 */
export function linkMentions(html: string, mentions: readonly { id: string; name: string; me: boolean }[]): string {
	if (mentions.length === 0) return html;
	// longest names first, so "@Ann Lee" wins over "@Ann"
	const byLength = [...mentions].filter((m) => m.name !== '').sort((a, b) => b.name.length - a.name.length);
	const parts = html.split(/(<[^>]*>)/);
	let skip = 0;
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i]!;
		if (part.startsWith('<')) {
			if (/^<(a|code|pre)[\s>]/i.test(part)) skip++;
			else if (/^<\/(a|code|pre)>/i.test(part)) skip = Math.max(0, skip - 1);
			continue;
		}
		if (skip > 0 || !part.includes('@')) continue;
		let out = '';
		let rest = part;
		while (rest.length) {
			const at = rest.indexOf('@');
			if (at < 0) break;
			const hit = byLength.find((m) => rest.startsWith(`@${escapeHtml(m.name)}`, at));
			if (!hit) {
				out += rest.slice(0, at + 1);
				rest = rest.slice(at + 1);
				continue;
			}
			const label = `@${escapeHtml(hit.name)}`;
			out += rest.slice(0, at);
			out += `<button type="button" class="mention${hit.me ? ' me' : ''}" data-mention="${escapeHtml(hit.id)}">${label}</button>`;
			rest = rest.slice(at + label.length);
		}
		parts[i] = out + rest;
	}
	return parts.join('');
}
