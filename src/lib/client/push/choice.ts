/**
 * The person's choice about notifications on this device, kept in localStorage: whether they turned
 * them on here, and whether the chat list's one-time offer was answered. Small on purpose: the app
 * reads it on every load; subscribing (device.ts) loads only when needed.
 */

/** localStorage key: "on" when the person turned notifications on for this device, "off" when off. */
export const WANTED_KEY = 'parley.notifications';
/** localStorage key: set once the chat list's one-time offer was answered (either way). */
export const OFFERED_KEY = 'parley.notifications-offered';

/** What the browser allows here. */
export type NotifySupport = 'push' | 'local-only' | 'none';

/** localStorage, or null where it is not available. */
export function choiceStorage(): Storage | null {
	try {
		return globalThis.localStorage ?? null;
	} catch {
		return null;
	}
}

/** What this browser can do: web push, only notifications from the open app, or nothing. */
export function notifySupport(): NotifySupport {
	if (typeof window === 'undefined' || !('Notification' in window) || !('serviceWorker' in navigator)) return 'none';
	return 'PushManager' in window ? 'push' : 'local-only';
}

/** True when the person turned notifications on here and the browser allows them. */
export function notificationsWanted(): boolean {
	return notifySupport() !== 'none' && Notification.permission === 'granted' && choiceStorage()?.getItem(WANTED_KEY) === 'on';
}

/** The chat list's one-time offer: shown while this is true (never asked, nothing decided here). */
export function offerPending(): boolean {
	if (notifySupport() === 'none' || Notification.permission !== 'default') return false;
	const s = choiceStorage();
	return s !== null && s.getItem(OFFERED_KEY) === null && s.getItem(WANTED_KEY) === null;
}

/** "Not now" (or any answer): the offer is not shown again on this device (settings still can). */
export function declineOffer(): void {
	choiceStorage()?.setItem(OFFERED_KEY, '1');
}
