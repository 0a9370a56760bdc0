/** Messages between the page and the service worker about notifications (shared by both sides). */

/** Page → worker: show this notification unless a visible, focused window shows the chat. */
export const SHOW_NOTIFICATION = 'SHOW_NOTIFICATION';
/** Page → worker: close the notification of a conversation read here. */
export const CLOSE_NOTIFICATION = 'CLOSE_NOTIFICATION';
/** Worker → page: go to this URL of the app (a notification was clicked). */
export const OPEN_URL = 'OPEN_URL';
