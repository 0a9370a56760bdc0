/**
 * Reacting by emoji in the chat: the quick bar (my most used emoji) and the full picker opened
 * from it for one message. Every pick is counted for "Frequently used" here, once: the picker
 * itself only chooses.
 */
import type { FrequentEmoji } from '../emoji/frequent.js';

export class ReactionPicker {
	#openFor = $state<string | null>(null);

	constructor(
		private readonly frequent: Pick<FrequentEmoji, 'top' | 'record'>,
		/** toggles my `emoji` on a message (the conversation's `toggleReaction`, through the chat's actions) */
		private readonly toggle: (messageId: string, emoji: string) => void
	) {}

	/** The message the full picker is open for, or null. */
	get openFor(): string | null {
		return this.#openFor;
	}

	/** My `n` most used emoji (the quick bar). */
	quick(n: number): string[] {
		return this.frequent.top(n);
	}

	/** Opens the full picker for `messageId`. */
	open(messageId: string): void {
		this.#openFor = messageId;
	}

	/** The full picker closed without a pick. */
	close(): void {
		this.#openFor = null;
	}

	/** A reaction from the quick bar: counted once, toggled. */
	react(messageId: string, emoji: string): void {
		this.frequent.record(emoji);
		this.toggle(messageId, emoji);
	}

	/** The full picker's pick (it has closed): a reaction on the message it was opened for. */
	pick(emoji: string): void {
		const messageId = this.#openFor;
		this.#openFor = null;
		if (messageId) this.react(messageId, emoji);
	}
}
