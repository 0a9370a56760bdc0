/**
 * The session's chat list as a view model, without Svelte: it turns the inbox document and the
 * presence its awareness carries into one plain snapshot (the sorted items, presence per user),
 * emitted as one `snapshot` event per change. It also keeps what the list must hide before the
 * server's inbox drops it (a conversation I just left or was removed from), and tells `forget`
 * about a conversation the server took out of my inbox (its copy goes from this device).
 * The hub holds the snapshot in runes (`InboxState`).
 */
import { ObservableV2 } from 'lib0/observable';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { InboxItem } from '../state/types.js';
import { inboxItems, presenceOf, type Presence } from '../sync/views.js';

/** What the chat list shows, as plain data (a new object per change). */
export interface InboxSnapshot {
	/** pinned first, then by last activity, newest first; without the conversations I just left */
	items: InboxItem[];
	/** presence per user id, as their privacy and blocks allow (the inbox's awareness) */
	presence: ReadonlyMap<string, Presence>;
}

export class InboxViewModel extends ObservableV2<{ snapshot: (snapshot: InboxSnapshot) => void }> {
	#snapshot: InboxSnapshot = { items: [], presence: new Map() };
	/** conversations I was removed from (or left): hidden from the list before the inbox drops them */
	#dropped = new Set<string>();
	/** the conversations the inbox listed last time */
	#listed = new Set<string>();
	#presence = new Map<string, Presence>();
	readonly #detach: () => void;

	constructor(
		private readonly inbox: { doc: Y.Doc; awareness: Awareness },
		/** a conversation the server's inbox no longer lists: drop this device's copy */
		private readonly forget: (conversationId: string) => void
	) {
		super();
		const entries = inbox.doc.getMap('conversations');
		const onEntries = () => this.refresh();
		const onPresence = () => {
			this.#presence = presenceOf(inbox.awareness.getStates() as Map<number, Record<string, unknown>>);
			this.refresh();
		};
		entries.observe(onEntries);
		inbox.awareness.on('change', onPresence);
		this.#detach = () => {
			entries.unobserve(onEntries);
			inbox.awareness.off('change', onPresence);
		};
		this.refresh();
	}

	/** The last snapshot emitted. */
	get snapshot(): InboxSnapshot {
		return this.#snapshot;
	}

	/** Hides a conversation I am no longer in, until the server's inbox drops it too. */
	drop(conversationId: string): void {
		this.#dropped.add(conversationId);
		this.refresh();
	}

	/** I am in it again (joined by a link): shown as the inbox lists it. */
	rejoined(conversationId: string): void {
		this.#dropped.delete(conversationId);
	}

	/** Reads the inbox again and emits a snapshot. */
	refresh(): void {
		let items = inboxItems(this.inbox.doc, this.#presence);
		// an entry the server took out of my inbox (removed or deleted while that chat was closed,
		// or while this device was away): its copy goes from this device too
		const listed = new Set(items.map((i) => i.conversationId));
		for (const id of this.#listed) if (!listed.has(id) && !this.#dropped.has(id)) this.forget(id);
		this.#listed = listed;
		if (this.#dropped.size > 0) {
			// once the server's inbox has dropped an entry too, a later re-add must show again
			for (const id of this.#dropped) if (!listed.has(id)) this.#dropped.delete(id);
			items = items.filter((i) => !this.#dropped.has(i.conversationId));
		}
		this.#snapshot = { items, presence: this.#presence };
		this.emit('snapshot', [this.#snapshot]);
	}

	destroy(): void {
		this.#detach();
		super.destroy();
	}
}
