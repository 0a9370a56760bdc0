// Reactions in the chat (issue 17, finding 6): a pick from the full reaction picker counts once
// for "Frequently used" (it counted twice: in the picker and in the chat), as does one from the
// quick bar; the picker's state is runes state a view follows.
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { FREQUENT_KEY, FrequentEmoji, parseFrequent } from '$lib/client/emoji/frequent';
import { ReactionPicker } from '$lib/client/state/reaction-picker.svelte';
import type { SyncKeyValueStore } from '$lib/client/storage/types';

function memoryJournal(): SyncKeyValueStore {
	const data = new Map<string, string>();
	return {
		get: <T>(key: string) => (data.has(key) ? (JSON.parse(data.get(key)!) as T) : undefined),
		set: (key, value) => void data.set(key, JSON.stringify(value)),
		delete: (key) => void data.delete(key),
		entries: () => []
	};
}

function setup() {
	const journal = memoryJournal();
	const toggled: [string, string][] = [];
	const picker = new ReactionPicker(new FrequentEmoji(journal), (messageId, emoji) => toggled.push([messageId, emoji]));
	const score = (emoji: string) => parseFrequent(journal.get(FREQUENT_KEY)).find((e) => e.emoji === emoji)?.score ?? 0;
	return { picker, toggled, score };
}

describe('ReactionPicker', () => {
	it('an emoji picked from the full picker is counted once and reacts on the message it was opened for', () => {
		const { picker, toggled, score } = setup();
		const seen: (string | null)[] = [];
		const stop = $effect.root(() => {
			$effect(() => void seen.push(picker.openFor));
		});
		flushSync();
		picker.open('m1');
		flushSync();
		picker.pick('🚀');
		flushSync();
		stop();
		expect(toggled).toEqual([['m1', '🚀']]);
		expect(score('🚀')).toBeCloseTo(1, 6);
		expect(seen).toEqual([null, 'm1', null]);
		expect(picker.quick(1)[0]).toBe('🚀');
	});

	it('a quick-bar reaction is counted once; a picker closed without a pick counts nothing', () => {
		const { picker, toggled, score } = setup();
		picker.react('m2', '🎉');
		expect(score('🎉')).toBeCloseTo(1, 6);
		picker.open('m3');
		picker.close();
		picker.pick('🙂'); // a late pick after close: no message, nothing counted
		expect(score('🙂')).toBe(0);
		expect(toggled).toEqual([['m2', '🎉']]);
	});
});
