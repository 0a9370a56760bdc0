/** Per-conversation drafts as runes state, kept in the user's private drafts document. */
export class DraftsState {
	#state = $state<{ texts: Record<string, string> }>({ texts: {} });

	/** The draft of a conversation ('' when none). */
	get(conversationId: string): string {
		return this.#state.texts[conversationId] ?? '';
	}

	/** Replaces the draft of a conversation ('' removes it); saved locally at once, synced to the user's other devices. */
	set(conversationId: string, text: string): void {
		this.#state.texts[conversationId] = text;
	}
}
