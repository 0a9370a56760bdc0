/**
 * The device-wide notices the PWA layer shows (src/lib/components/UpdatePrompt.svelte): a new
 * version waits, or storage is full. One per page, not per session: both are facts about this
 * browser, whoever is signed in. The root layout makes them and hands them on through context.
 */
import { getContext, setContext } from 'svelte';

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

const KEY = Symbol('parley.pwa-notices');

/** In the root layout: this page's notices, for every component below it (and the session hub). */
export function setPwaNotices(notices: PwaNotices): PwaNotices {
	return setContext(KEY, notices);
}

/** In a component under the root layout: the page's notices. */
export function getPwaNotices(): PwaNotices {
	const notices = getContext<PwaNotices | undefined>(KEY);
	if (!notices) throw new Error('no PwaNotices in context: setPwaNotices() in the root layout first');
	return notices;
}
