// The emoji picker as a lazily loaded component: import this (not EmojiPicker.svelte) from code in
// the chat route's first load, so the picker's code arrives only when someone opens it.
import type { Component } from 'svelte';

/** Emoji in the picker's "Frequently used". */
export const FREQUENT_SHOWN = 16;

/** EmojiPicker's props (documented in EmojiPicker.svelte). */
export interface EmojiPickerProps {
	onpick: (emoji: string) => void;
	/** "Frequently used", most used first (the caller's `FrequentEmoji.top(FREQUENT_SHOWN)`) */
	frequent: readonly string[];
	onclose?: () => void;
	label?: string;
}

let picker: Promise<Component<EmojiPickerProps>> | null = null;

/** Loads EmojiPicker once (a failed load, e.g. offline before the worker cached it, is tried again next time). */
export function loadEmojiPicker(): Promise<Component<EmojiPickerProps>> {
	picker ??= import('./EmojiPicker.svelte').then((module) => module.default);
	picker.catch(() => (picker = null));
	return picker;
}
