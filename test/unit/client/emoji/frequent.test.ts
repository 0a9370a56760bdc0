// Frequently used emoji: decaying scores, a bounded list, defaults, and one user's journal.
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_FREQUENT,
	FREQUENT_KEY,
	FREQUENT_LIMITS,
	FrequentEmoji,
	decayedScore,
	parseFrequent,
	rankFrequent,
	recordUse,
	type FrequentEntry
} from '$lib/client/emoji/frequent';
import type { SyncKeyValueStore } from '$lib/client/storage/types';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 27);

function uses(list: [string, number][]): FrequentEntry[] {
	let entries: FrequentEntry[] = [];
	for (const [emoji, at] of list) entries = recordUse(entries, emoji, at);
	return entries;
}

/** A journal over a Map, as the browser's localStorage journal behaves (JSON round trip). */
function memoryJournal(): SyncKeyValueStore & { data: Map<string, string> } {
	const data = new Map<string, string>();
	return {
		data,
		get: <T>(key: string) => (data.has(key) ? (JSON.parse(data.get(key)!) as T) : undefined),
		set: (key, value) => void data.set(key, JSON.stringify(value)),
		delete: (key) => void data.delete(key),
		entries: () => []
	};
}

describe('frequent emoji scoring', () => {
	it('gives the defaults when nothing was used', () => {
		expect(rankFrequent([], T0, 6)).toEqual(['👍', '❤️', '😂', '😮', '😢', '🙏']);
		expect(rankFrequent([], T0, 3)).toEqual(['👍', '❤️', '😂']);
		expect(rankFrequent([], T0, 0)).toEqual([]);
	});

	it('ranks by use count, then fills up with defaults without repeats', () => {
		const entries = uses([
			['🎉', T0],
			['🎉', T0 + 1],
			['👍', T0 + 2],
			['🔥', T0 + 3],
			['🔥', T0 + 4],
			['🔥', T0 + 5]
		]);
		expect(rankFrequent(entries, T0 + 10, 6)).toEqual(['🔥', '🎉', '👍', '❤️', '😂', '😮']);
	});

	it('lets old uses fade: daily use beats a burst long ago', () => {
		const burst: [string, number][] = Array.from({ length: 10 }, (_, i) => ['🎂', T0 + i]);
		const daily: [string, number][] = Array.from({ length: 4 }, (_, i) => ['👋', T0 + 90 * DAY + i * DAY]);
		const entries = uses([...burst, ...daily]);
		expect(rankFrequent(entries, T0 + 94 * DAY, 2)).toEqual(['👋', '🎂']);
		// but right after the burst, it leads
		expect(rankFrequent(uses(burst.concat([['👋', T0 + 20]])), T0 + 30, 1)).toEqual(['🎂']);
	});

	it('halves a score after the half-life', () => {
		expect(decayedScore({ emoji: '👍', score: 4, at: T0 }, T0 + FREQUENT_LIMITS.halfLifeMs)).toBeCloseTo(2, 10);
		// a clock that went back does not inflate the score
		expect(decayedScore({ emoji: '👍', score: 4, at: T0 }, T0 - DAY)).toBe(4);
	});

	it('keeps at most the bound, dropping the weakest', () => {
		let entries: FrequentEntry[] = [];
		entries = recordUse(entries, '⭐', T0);
		entries = recordUse(entries, '⭐', T0);
		for (let i = 0; i < FREQUENT_LIMITS.tracked + 10; i++) entries = recordUse(entries, String.fromCodePoint(0x1f600 + i), T0 + i);
		expect(entries).toHaveLength(FREQUENT_LIMITS.tracked);
		expect(entries[0]!.emoji).toBe('⭐');
		expect(new Set(entries.map((e) => e.emoji)).size).toBe(entries.length);
	});

	it('ignores non-emoji strings', () => {
		expect(recordUse([], '', T0)).toEqual([]);
		expect(recordUse([], 'x'.repeat(FREQUENT_LIMITS.emojiMaxLength + 1), T0)).toEqual([]);
	});

	it('parses only well-formed stored lists', () => {
		expect(parseFrequent('nope')).toEqual([]);
		expect(parseFrequent(null)).toEqual([]);
		const good = { emoji: '👍', score: 2, at: T0 };
		const parsed = parseFrequent([
			good,
			{ emoji: '👍', score: 5, at: T0 },
			{ emoji: 7 },
			{ emoji: '🔥', score: -1, at: T0 },
			{ emoji: '🔥', score: Infinity, at: T0 },
			null
		]);
		expect(parsed).toEqual([good]);
		expect(parseFrequent(Array.from({ length: 500 }, (_, i) => ({ emoji: `e${i}`, score: 1, at: T0 })))).toHaveLength(
			FREQUENT_LIMITS.tracked
		);
	});
});

describe('FrequentEmoji on a user journal (one per hub, nothing module-wide)', () => {
	it('stores picks in the user journal under its key and reads them back', () => {
		const journal = memoryJournal();
		const frequent = new FrequentEmoji(journal);
		expect(frequent.top()).toEqual([...DEFAULT_FREQUENT]);
		frequent.record('🚀', T0);
		frequent.record('🚀', T0 + 1);
		frequent.record('🙂', T0 + 2);
		expect(journal.data.has(FREQUENT_KEY)).toBe(true);
		expect(frequent.top(3, T0 + 3)).toEqual(['🚀', '🙂', '👍']);

		// another user's does not see them; the same journal read again does
		expect(new FrequentEmoji(memoryJournal()).top(2, T0 + 3)).toEqual(['👍', '❤️']);
		expect(new FrequentEmoji(journal).top(1, T0 + 3)).toEqual(['🚀']);
	});

	it('survives a journal that throws (storage disabled)', () => {
		const broken: SyncKeyValueStore = {
			get: () => {
				throw new Error('SecurityError');
			},
			set: () => {
				throw new Error('QuotaExceededError');
			},
			delete: () => {},
			entries: () => []
		};
		const frequent = new FrequentEmoji(broken);
		expect(() => frequent.record('🚀', T0)).not.toThrow();
		expect(frequent.top(1, T0)).toEqual(['👍']);
	});

	it('without a journal, remembers in memory for that instance only', () => {
		const frequent = new FrequentEmoji(null);
		frequent.record('🧪', T0);
		expect(frequent.top(1, T0)).toEqual(['🧪']);
		expect(new FrequentEmoji(null).top(1, T0)).toEqual(['👍']);
	});
});
