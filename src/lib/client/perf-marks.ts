/**
 * `performance.mark` names for the phases of opening a chat, so that a profile (DevTools, or
 * `npm run bench -- app`, which reads them) attributes each millisecond of an open. Times are from
 * the navigation's start; a second chat opened in the same page marks only its own phases.
 * Each name holds its latest mark only: the timeline does not grow with every chat opened.
 */
export const OPEN_MARKS = {
	/** the app layout mounted and starts deciding who is signed in */
	bootStart: 'parley:open:boot-start',
	/** the user is known (the server's answer, or the cached user offline) */
	userResolved: 'parley:open:user-resolved',
	/** the session (storage, inbox, sync) is open */
	sessionReady: 'parley:open:session-ready',
	/** the conversation's document is loaded from the device */
	localLoaded: 'parley:open:local-loaded',
	/** the message list has rows to render for the first time */
	firstRender: 'parley:open:first-render',
	/** the first placement (the bottom, or the first unread) holds: the last screen is painted */
	painted: 'parley:open:painted'
} as const;

export type OpenMark = (typeof OPEN_MARKS)[keyof typeof OPEN_MARKS];

/** Prefix of every open mark (for reading them back). */
export const OPEN_MARK_PREFIX = 'parley:open:';

/** Marks a phase of an open now (a no-op where the User Timing API is missing). */
export function markOpen(name: OpenMark): void {
	if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
	performance.clearMarks(name);
	performance.mark(name);
}
