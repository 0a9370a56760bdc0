/**
 * The device-wide notices the PWA layer shows (src/lib/components/UpdatePrompt.svelte): a new
 * version waits, or storage is full. One per page, not per session: both are facts about this
 * browser, whoever is signed in.
 */
export class PwaNotices {
	#updateWaiting = $state(false);
	#storageFull = $state<{ usage: number; quota: number } | null>(null);

	/** A new version has installed and waits for a reload. */
	get updateWaiting(): boolean {
		return this.#updateWaiting;
	}
	/** Usage and quota when a write failed for lack of space; null when there is none. */
	get storageFull(): { usage: number; quota: number } | null {
		return this.#storageFull;
	}

	/** The worker reported a waiting version. */
	updateReady(): void {
		this.#updateWaiting = true;
	}
	/** A write failed because the quota is full (pass to `guardQuota` as `onFull`). */
	reportStorageFull = (figures: { usage: number; quota: number }): void => {
		this.#storageFull = figures;
	};
	/** The person dismissed the storage message (or space was freed). */
	clearStorageFull(): void {
		this.#storageFull = null;
	}
}

/** This page's notices. */
export const pwaNotices = new PwaNotices();
