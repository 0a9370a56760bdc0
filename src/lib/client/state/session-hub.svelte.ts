/**
 * One per signed-in session: opens the inbox, the drafts document and conversations
 * (ref-counted), persists them in IndexedDB, and signs out cleanly.
 */
import { ConnectivityState } from './connectivity.svelte.js';
import { ConversationState } from './conversation.svelte.js';
import { DraftsState } from './drafts.svelte.js';
import { InboxState } from './inbox.svelte.js';
import type { Me, Person } from './types.js';

export interface SessionHubOptions {
	me: Me;
	/** e.g. `https://chat.example` (the relay is at `<origin>/sync`) */
	origin: string;
	fetch?: typeof fetch;
}

export class SessionHub {
	readonly connectivity = new ConnectivityState();
	readonly inbox = new InboxState();
	readonly drafts = new DraftsState();
	#me: Me;

	private constructor(options: SessionHubOptions) {
		this.#me = options.me;
	}

	/** Loads the user's documents from IndexedDB first, then connects. */
	static async open(options: SessionHubOptions): Promise<SessionHub> {
		return new SessionHub(options);
	}

	/** The last signed-in user, from IndexedDB (to boot offline); null when none. */
	static async cachedMe(): Promise<Me | null> {
		return null;
	}

	get me(): Me {
		return this.#me;
	}

	/** A conversation, ref-counted: call `.release()` when the view closes. */
	conversation(id: string): ConversationState {
		return new ConversationState(id);
	}

	/** Cached profiles of people seen. */
	readonly users = {
		name: (userId: string): string => userId,
		avatarUrl: (_userId: string): string | undefined => undefined
	};

	/** `GET /api/users?q=`. */
	async searchPeople(_q: string): Promise<Person[]> {
		return [];
	}

	/** Opens or creates the direct conversation with `userId`; its id. */
	async openDirect(_userId: string): Promise<string> {
		throw new Error('not yet');
	}

	/** Server logout, then wipes this user's IndexedDB databases, caches and drafts; closes sockets. */
	async signOut(): Promise<void> {}

	/** Closes everything (no wipe). */
	destroy(): void {}
}
