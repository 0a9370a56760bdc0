/** The app's connection status as runes state (the hub feeds it from the session). */
import type { Connectivity, SyncStatus } from './types.js';

export class ConnectivityState implements Connectivity {
	#state = $state<Connectivity>({ status: 'connecting', online: true, pendingCount: 0, signedOut: false });

	/** offline / connecting / syncing / up to date (never the last from local data alone) */
	get status(): SyncStatus {
		return this.#state.status;
	}
	/** The browser reports a network. */
	get online(): boolean {
		return this.#state.online;
	}
	/** Writes waiting to be sent, over the open conversations. */
	get pendingCount(): number {
		return this.#state.pendingCount;
	}
	/** The session ended (4401 or a wipe from another tab). */
	get signedOut(): boolean {
		return this.#state.signedOut;
	}

	/** Called by the hub only. */
	update(next: Partial<Connectivity>): void {
		for (const [key, value] of Object.entries(next) as [keyof Connectivity, never][]) {
			if (this.#state[key] !== value) this.#state[key] = value;
		}
	}
}
