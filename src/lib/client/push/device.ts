/**
 * Notifications on this device, from the page: turning them on (the browser's permission prompt
 * only then, never on load), subscribing to web push with the server's VAPID key, turning them off,
 * and posting the subscription again after a new sign-in (it belongs to the session that posted
 * it). Whether the person wants notifications here is kept in localStorage: the app's own
 * notifications while it is hidden need it even where web push is not available (docs/notifications.md).
 */
import { createHttp, type Http } from '../api/http.js';
import { OFFERED_KEY, WANTED_KEY, choiceStorage as storage, notificationsWanted, notifySupport, type NotifySupport } from './choice.js';

export { declineOffer, notificationsWanted, notifySupport, offerPending, type NotifySupport } from './choice.js';

/** How long subscribing may take: the browser asks its vendor's push service, which may be out of reach. */
const SUBSCRIBE_TIMEOUT_MS = 10_000;

/** `work`, or a rejection after `ms`. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('push service did not answer')), ms)));
	return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Where notifications stand on this device. */
export interface DeviceNotifyState {
	support: NotifySupport;
	permission: NotificationPermission;
	/** the person turned them on here (and has not turned them off) */
	wanted: boolean;
	/** this browser holds a push subscription */
	subscribed: boolean;
}

/** The outcome of turning notifications on. */
export type EnableOutcome = { kind: 'push' } | { kind: 'local-only'; reason: string } | { kind: 'denied' } | { kind: 'unsupported' };

/** This worker registration's push subscription, if any. */
async function currentSubscription(): Promise<PushSubscription | null> {
	if (notifySupport() !== 'push') return null;
	const registration = await navigator.serviceWorker.getRegistration();
	return (await registration?.pushManager.getSubscription()) ?? null;
}

/** The current state, for the settings screen. */
export async function deviceNotifyState(): Promise<DeviceNotifyState> {
	const support = notifySupport();
	if (support === 'none') return { support, permission: 'denied', wanted: false, subscribed: false };
	const subscribed = (await currentSubscription().catch(() => null)) !== null;
	return { support, permission: Notification.permission, wanted: notificationsWanted(), subscribed };
}

/** base64url → bytes (the VAPID key for `applicationServerKey`). */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
	const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
	const raw = atob(base64);
	const bytes = new Uint8Array(raw.length);
	for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
	return bytes;
}

/**
 * Turns notifications on for this device: asks the browser's permission (call from a click), then
 * subscribes to web push and gives the server the subscription. Without a reachable push service
 * (a LAN without internet, a headless browser) it is "local-only": the open app still notifies.
 */
export async function enableNotifications(origin: string, http: Http = createHttp({ origin })): Promise<EnableOutcome> {
	const support = notifySupport();
	if (support === 'none') return { kind: 'unsupported' };
	const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
	if (permission !== 'granted') return { kind: 'denied' };
	storage()?.setItem(WANTED_KEY, 'on');
	storage()?.setItem(OFFERED_KEY, '1');
	if (support !== 'push') return { kind: 'local-only', reason: 'PushManager unavailable' };
	try {
		const registration = await navigator.serviceWorker.ready;
		let subscription = await registration.pushManager.getSubscription();
		if (!subscription) {
			const { publicKey } = await http<{ publicKey: string }>('GET', '/api/push/key');
			subscription = await withTimeout(
				registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) }),
				SUBSCRIBE_TIMEOUT_MS
			);
		}
		await http('POST', '/api/push/subscriptions', subscription.toJSON());
		return { kind: 'push' };
	} catch (error) {
		return { kind: 'local-only', reason: error instanceof Error ? error.message : String(error) };
	}
}

/** Turns notifications off for this device: the server forgets the subscription, the browser too. */
export async function disableNotifications(origin: string, http: Http = createHttp({ origin })): Promise<void> {
	storage()?.setItem(WANTED_KEY, 'off');
	const subscription = await currentSubscription().catch(() => null);
	if (!subscription) return;
	await http('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint }).catch(() => undefined);
	await subscription.unsubscribe().catch(() => false);
}

/** After sign-in (a new session): posts this browser's subscription again, when notifications are on here. */
export async function resubscribe(origin: string, http: Http = createHttp({ origin })): Promise<void> {
	if (!notificationsWanted()) return;
	const subscription = await currentSubscription().catch(() => null);
	if (!subscription) return;
	try {
		// posting counts against an hourly limit: only when this session has none on the server
		const { devices } = await http<{ devices: { current: boolean }[] }>('GET', '/api/push/subscriptions');
		if (!devices.some((d) => d.current)) await http('POST', '/api/push/subscriptions', subscription.toJSON());
	} catch {
		// offline, or the server refused it: the next boot tries again
	}
}

/**
 * At sign-out: the browser forgets the endpoint (the server drops it with the session) and this
 * device's choice, so whoever signs in next decides for themselves.
 */
export async function forgetSubscription(): Promise<void> {
	const subscription = await currentSubscription().catch(() => null);
	await subscription?.unsubscribe().catch(() => false);
	storage()?.removeItem(WANTED_KEY);
	storage()?.removeItem(OFFERED_KEY);
}
