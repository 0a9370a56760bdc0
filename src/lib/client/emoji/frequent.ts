/**
 * Frequently used emoji: a small, bounded score per emoji that decays with time (a burst of 🎉
 * last month ranks below 👍 used daily), kept in the signed-in user's synchronous journal
 * (localStorage under the user's prefix, so the sign-out wipe removes it). The scoring is pure
 * (`recordUse`, `rankFrequent`); a `FrequentEmoji` works on one user's journal (the hub's `emoji`).
 */
import type { SyncKeyValueStore } from '../storage/types.js';
import { SYNC_LIMITS } from '../../sync/schema.js';

/** Shown when nothing was picked yet, and to fill up a short list (the quick reaction bar). */
export const DEFAULT_FREQUENT = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

export const FREQUENT_LIMITS = {
	/** Emoji remembered at most: the lowest scores go first (the stored list stays tiny). */
	tracked: 40,
	/** A use counts half as much after this long. */
	halfLifeMs: 14 * 24 * 60 * 60 * 1000,
	/** Longest emoji string accepted: what a reaction may hold (the longest ZWJ sequences are 14 UTF-16 units). */
	emojiMaxLength: SYNC_LIMITS.maxEmojiLength
} as const;

/** The journal key (under the user's prefix). */
export const FREQUENT_KEY = 'emoji.frequent';

/** One remembered emoji: its score as of `at` (ms since the epoch). */
export interface FrequentEntry {
	emoji: string;
	score: number;
	at: number;
}

/** The score of `entry` at `now`. */
export function decayedScore(entry: FrequentEntry, now: number): number {
	const age = Math.max(0, now - entry.at);
	return entry.score * Math.pow(0.5, age / FREQUENT_LIMITS.halfLifeMs);
}

/** The list after one use of `emoji` at `now` (a new array; the lowest scores beyond the bound are dropped). */
export function recordUse(entries: readonly FrequentEntry[], emoji: string, now: number): FrequentEntry[] {
	if (!isEmojiString(emoji)) return [...entries];
	const previous = entries.find((entry) => entry.emoji === emoji);
	const used: FrequentEntry = { emoji, score: (previous ? decayedScore(previous, now) : 0) + 1, at: now };
	const rest = entries.filter((entry) => entry.emoji !== emoji);
	return sortByScore([used, ...rest], now).slice(0, FREQUENT_LIMITS.tracked);
}

/** The `n` best emoji at `now`, filled up with `DEFAULT_FREQUENT` (no repeats). */
export function rankFrequent(entries: readonly FrequentEntry[], now: number, n: number): string[] {
	const count = Math.max(0, Math.floor(n));
	const out = sortByScore(entries, now)
		.slice(0, count)
		.map((entry) => entry.emoji);
	for (const emoji of DEFAULT_FREQUENT) {
		if (out.length >= count) break;
		if (!out.includes(emoji)) out.push(emoji);
	}
	return out;
}

/** Keeps well-formed entries only (localStorage is shared with anything on the origin), at most the bound. */
export function parseFrequent(raw: unknown): FrequentEntry[] {
	if (!Array.isArray(raw)) return [];
	const out: FrequentEntry[] = [];
	for (const item of raw.slice(0, FREQUENT_LIMITS.tracked)) {
		if (!item || typeof item !== 'object') continue;
		const { emoji, score, at } = item as Record<string, unknown>;
		if (!isEmojiString(emoji) || typeof score !== 'number' || !(score > 0) || !Number.isFinite(score)) continue;
		if (typeof at !== 'number' || !Number.isFinite(at)) continue;
		if (out.some((entry) => entry.emoji === emoji)) continue;
		out.push({ emoji, score, at });
	}
	return out;
}

function isEmojiString(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0 && value.length <= FREQUENT_LIMITS.emojiMaxLength;
}

function sortByScore(entries: readonly FrequentEntry[], now: number): FrequentEntry[] {
	return entries
		.map((entry) => ({ entry, score: decayedScore(entry, now) }))
		.sort((a, b) => b.score - a.score || b.entry.at - a.entry.at)
		.map(({ entry }) => entry);
}

/**
 * One user's frequently used emoji, in their journal (the session hub makes one and hands it to
 * pages through context; none is module-wide). Without a journal (storage off), uses are kept in
 * memory for this page only.
 */
export class FrequentEmoji {
	#memory: FrequentEntry[] = [];

	constructor(private readonly journal: SyncKeyValueStore | null) {}

	/** The `n` most used emoji (default six), filled up with 👍 ❤️ 😂 😮 😢 🙏. */
	top(n: number = DEFAULT_FREQUENT.length, now = Date.now()): string[] {
		return rankFrequent(this.#load(), now, n);
	}

	/** Counts one use of `emoji`: once per pick, by whoever acts on it (a reaction, an insert in the composer). */
	record(emoji: string, now = Date.now()): void {
		const next = recordUse(this.#load(), emoji, now);
		if (!this.journal) {
			this.#memory = next;
			return;
		}
		try {
			this.journal.set(FREQUENT_KEY, next);
		} catch {
			// full or disabled storage: the ranking just does not learn this use
		}
	}

	#load(): FrequentEntry[] {
		if (!this.journal) return this.#memory;
		try {
			return parseFrequent(this.journal.get(FREQUENT_KEY));
		} catch {
			return []; // storage disabled
		}
	}
}
