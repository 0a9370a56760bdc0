/** Messages between the page and the service worker about notifications (shared by both sides). */

/** Page → worker: show this notification unless a visible, focused window shows the chat. */
export const SHOW_NOTIFICATION = 'SHOW_NOTIFICATION';
/** Page → worker: close the notification of a conversation read here. */
export const CLOSE_NOTIFICATION = 'CLOSE_NOTIFICATION';
/** Worker → page: go to this URL of the app (a notification was clicked). */
export const OPEN_URL = 'OPEN_URL';

/** The tag of a conversation's one notification (the server uses the same). */
export function conversationTag(conversationId: string): string {
	return `conv:${conversationId}`;
}

/** "(3) Parley" for an unread total, "Parley" with none. */
export function titleWithUnread(title: string, total: number): string {
	const bare = title.replace(/^\(\d+\+?\) /, '');
	if (total <= 0) return bare;
	return `(${total > 999 ? '999+' : total}) ${bare}`;
}
