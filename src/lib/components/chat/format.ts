// Dates and times in the page's language, cached formatters (one per language and style).
import { getLocale } from '$lib/i18n/paraglide/runtime.js';
import * as m from '$lib/i18n/paraglide/messages.js';

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(style: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${getLocale()}:${style}`;
	let f = cache.get(key);
	if (!f) cache.set(key, (f = new Intl.DateTimeFormat(getLocale(), options)));
	return f;
}

/** Start of the local day holding `at`. */
export function dayOf(at: number): number {
	const d = new Date(at);
	return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** "14:05". */
export function timeOf(at: number): string {
	return formatter('time', { hour: '2-digit', minute: '2-digit' }).format(at);
}

/** "Today", "Yesterday", or a date ("3 March 2026"). */
export function dayLabel(at: number, now = Date.now()): string {
	const day = dayOf(at);
	const today = dayOf(now);
	if (day === today) return m.today();
	if (day === dayOf(today - 12 * 3600_000)) return m.yesterday();
	return formatter('day', { day: 'numeric', month: 'long', year: 'numeric' }).format(at);
}

/** A chat-list time: the time today, else a short date. */
export function shortWhen(at: number, now = Date.now()): string {
	if (dayOf(at) === dayOf(now)) return timeOf(at);
	return formatter('short', { day: 'numeric', month: 'short' }).format(at);
}

/** Full date and time for a `title`/`datetime` attribute. */
export function fullWhen(at: number): string {
	return formatter('full', { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** "Ann is typing…", "Ann and Bob are typing…", "3 people are typing…", or an empty string. */
export function typingText(names: string[]): string {
	if (names.length === 0) return '';
	if (names.length === 1) return m.typing_one({ name: names[0] ?? '' });
	if (names.length === 2) return m.act_typing_two({ a: names[0] ?? '', b: names[1] ?? '' });
	return m.act_typing_count({ count: String(names.length) });
}

/** Within this, "last seen" says "just now" (presence is renewed every 15 s). */
const JUST_NOW_MS = 60_000;

/** "Last seen just now / today at 14:05 / yesterday at 14:05 / <date and time>". */
export function lastSeenText(at: number, now = Date.now()): string {
	if (now - at < JUST_NOW_MS) return m.act_last_seen_now();
	if (dayOf(at) === dayOf(now)) return m.act_last_seen_today({ time: timeOf(at) });
	if (dayOf(at) === dayOf(dayOf(now) - 12 * 3600_000)) return m.act_last_seen_yesterday({ time: timeOf(at) });
	return m.last_seen({ time: fullWhen(at) });
}
