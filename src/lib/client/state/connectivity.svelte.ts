/** The app's connection status as runes state (fed by the hub from its documents' statuses). */
import type { Connectivity, SyncStatus } from './types.js';

export class ConnectivityState implements Connectivity {
	#state = $state<Connectivity>({ status: 'connecting', online: true, pendingCount: 0, signedOut: false });

	get status(): SyncStatus {
		return this.#state.status;
	}
	get online(): boolean {
		return this.#state.online;
	}
	get pendingCount(): number {
		return this.#state.pendingCount;
	}
	get signedOut(): boolean {
		return this.#state.signedOut;
	}

	/** Called by the hub only. */
	update(next: Partial<Connectivity>): void {
		Object.assign(this.#state, next);
	}
}
