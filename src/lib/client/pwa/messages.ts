/** Messages between the page and the service worker (shared by both sides). */

/** Workbox-window's `messageSkipWaiting()` sends this; the waiting worker then activates. */
export const SKIP_WAITING = 'SKIP_WAITING';

/** Asks the worker which build it serves; it answers `{ version }` on the message port. */
export const GET_VERSION = 'GET_VERSION';
