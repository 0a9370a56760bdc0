/** The chat list as runes state: the inbox document's entries with presence (the hub feeds it). */
import type { InboxItem, SyncStatus } from './types.js';

export class InboxState {
	#items = $state.raw<InboxItem[]>([]);
	#status = $state<SyncStatus>('connecting');

	/** Sorted: pinned first, then by last activity, newest first. */
	get items(): InboxItem[] {
		return this.#items;
	}
	/** The inbox document's status (`up-to-date` only after the relay answered). */
	get status(): SyncStatus {
		return this.#status;
	}
	/** The entry of one conversation, if the inbox has it. */
	item(conversationId: string): InboxItem | undefined {
		return this.#items.find((i) => i.conversationId === conversationId);
	}

	/** Called by the hub only. */
	update(next: { items?: InboxItem[]; status?: SyncStatus }): void {
		if (next.items) this.#items = next.items;
		if (next.status && next.status !== this.#status) this.#status = next.status;
	}
}
