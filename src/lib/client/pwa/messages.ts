/** Messages between the page and the service worker (shared by both sides). */

/** Workbox-window's `messageSkipWaiting()` sends this; the waiting worker then activates. */
export const SKIP_WAITING = 'SKIP_WAITING';

/** Asks the worker which build it serves; it answers `{ version }` on the message port. */
export const GET_VERSION = 'GET_VERSION';

/**
 * Sign-out asks the worker to finish its queued media-cache writes and delete the media caches
 * after them; it answers `{ wiped: true }` on the message port (issue 21 item 15).
 */
export const WIPE_MEDIA = 'WIPE_MEDIA';
