/// <reference lib="webworker" />
/**
 * The service worker's half of notifications (docs/notifications.md#what-the-service-worker-should-do):
 * `push` shows one notification per conversation (its tag), replaced by the next, and nothing
 * while a visible, focused Parley window shows that conversation; a `read` push closes it.
 * `notificationclick` focuses an open window and navigates it to the chat, or opens one; "Mark as
 * read" posts the read position. The page also asks the worker to notify (SHOW_NOTIFICATION)
 * while it is hidden, with no push service involved.
 */
import {
	MARK_READ_ACTION,
	lookingAt,
	notificationFor,
	notifyLocale,
	parsePush,
	type NotificationData,
	type NotificationPlan,
	type WindowView
} from './notification.js';
import { CLOSE_NOTIFICATION, OPEN_URL, SHOW_NOTIFICATION } from './protocol.js';

/** The windows of this origin (controlled or not: a window opened before the worker counts too). */
async function windows(sw: ServiceWorkerGlobalScope): Promise<readonly WindowClient[]> {
	return (await sw.clients.matchAll({ type: 'window', includeUncontrolled: true })) as readonly WindowClient[];
}

/** Closes every notification with `tag`. */
async function closeTag(sw: ServiceWorkerGlobalScope, tag: string): Promise<void> {
	for (const n of await sw.registration.getNotifications({ tag })) n.close();
}

/** The app icon shows the unread total (where the browser has badges); best effort. */
async function refreshBadge(sw: ServiceWorkerGlobalScope): Promise<void> {
	const nav = sw.navigator as Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
	if (!nav.setAppBadge) return;
	try {
		const res = await fetch('/api/push/unread', { credentials: 'same-origin' });
		if (!res.ok) return;
		const { total } = (await res.json()) as { total: number };
		await (total > 0 ? nav.setAppBadge(total) : nav.clearAppBadge?.());
	} catch {
		// offline or signed out: the badge stays as it was
	}
}

/** Shows `plan` unless a visible, focused window has `conversationId` open. */
async function show(sw: ServiceWorkerGlobalScope, conversationId: string, plan: NotificationPlan): Promise<void> {
	const open: WindowView[] = (await windows(sw)).map((w) => ({ url: w.url, focused: w.focused, visibilityState: w.visibilityState }));
	if (lookingAt(open, conversationId)) return;
	await sw.registration.showNotification(plan.title, plan.options);
}

async function onPush(sw: ServiceWorkerGlobalScope, event: PushEvent): Promise<void> {
	let data: unknown;
	try {
		data = event.data?.json();
	} catch {
		return;
	}
	const payload = parsePush(data);
	if (!payload) return;
	if (payload.kind === 'read') {
		await closeTag(sw, payload.tag);
		await refreshBadge(sw);
		return;
	}
	const plan = notificationFor(payload, notifyLocale(sw.navigator.languages ?? [sw.navigator.language]));
	if (plan) await show(sw, payload.conversationId, plan);
	await refreshBadge(sw);
}

async function onClick(sw: ServiceWorkerGlobalScope, event: NotificationEvent): Promise<void> {
	const notification = event.notification;
	const data = (notification.data ?? {}) as Partial<NotificationData>;
	notification.close();
	if (typeof data.conversationId !== 'string') return;
	if (event.action === MARK_READ_ACTION) {
		if (typeof data.messageId === 'string')
			await fetch(`/api/conversations/${encodeURIComponent(data.conversationId)}/read`, {
				method: 'POST',
				credentials: 'same-origin',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ messageId: data.messageId })
			}).catch(() => undefined);
		await refreshBadge(sw);
		return;
	}
	const url = new URL(typeof data.url === 'string' ? data.url : `/c/${data.conversationId}`, sw.location.origin).href;
	const open = await windows(sw);
	const target = open.find((w) => w.focused) ?? open[0];
	if (target) {
		await target.focus();
		// The app moves client-side (no reload: its documents stay open), src/routes/+layout.svelte.
		target.postMessage({ type: OPEN_URL, url });
		return;
	}
	await sw.clients.openWindow(url);
}

/** Installs the notification handlers on the worker. */
export function installPushHandlers(sw: ServiceWorkerGlobalScope): void {
	sw.addEventListener('push', (event) => event.waitUntil(onPush(sw, event)));
	sw.addEventListener('notificationclick', (event) => event.waitUntil(onClick(sw, event)));
	sw.addEventListener('message', (event) => {
		const msg = event.data as { type?: unknown; conversationId?: unknown; plan?: NotificationPlan; tag?: unknown } | null;
		if (msg?.type === SHOW_NOTIFICATION && typeof msg.conversationId === 'string' && msg.plan)
			event.waitUntil(show(sw, msg.conversationId, msg.plan));
		else if (msg?.type === CLOSE_NOTIFICATION && typeof msg.tag === 'string') event.waitUntil(closeTag(sw, msg.tag));
	});
}
