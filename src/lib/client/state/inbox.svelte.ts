/** The chat list as runes state: the inbox document's entries, presence and typing. */
import type { InboxItem, SyncStatus } from './types.js';

export class InboxState {
	#state = $state<{ items: InboxItem[]; status: SyncStatus }>({ items: [], status: 'connecting' });

	/** Sorted: pinned first, then by last activity, newest first. */
	get items(): InboxItem[] {
		return this.#state.items;
	}
	get status(): SyncStatus {
		return this.#state.status;
	}

	/** Called by the hub only. */
	update(next: Partial<{ items: InboxItem[]; status: SyncStatus }>): void {
		Object.assign(this.#state, next);
	}
}
