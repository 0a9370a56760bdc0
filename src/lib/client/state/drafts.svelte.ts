/** Per-conversation drafts as runes state over the session's `Drafts` (private drafts document, R26). */
import type { Drafts } from '../sync/drafts.js';

export class DraftsState {
	/** bumped on every change: `get` reads it so that views re-run */
	#version = $state(0);
	readonly #drafts: Drafts;

	constructor(drafts: Drafts) {
		this.#drafts = drafts;
		drafts.on('change', () => this.#version++);
	}

	/** The draft of a conversation ('' when none). */
	get(conversationId: string): string {
		void this.#version;
		return this.#drafts.get(conversationId);
	}

	/** Conversations with a draft (the chat list shows "Draft: …"). */
	get ids(): string[] {
		void this.#version;
		return this.#drafts.ids();
	}

	/** Replaces the draft of a conversation ('' removes it): kept on this device at once, synced to the user's other devices. */
	set(conversationId: string, text: string): void {
		this.#drafts.set(conversationId, text);
	}

	/** Writes what was typed now (call on page hide). */
	flush(): Promise<void> {
		return this.#drafts.flush();
	}
}
