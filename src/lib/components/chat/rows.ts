// Turns a window of messages into rows for the list: which row opens a day, an author group, or
// the unread part. Pure, so it is cheap to recompute on every change of the window.
import { dayOf } from './format';
import type { MessageItem } from './types';

/** Two messages of one author closer than this form a group (one name and avatar). */
export const GROUP_GAP_MS = 5 * 60_000;

/** A message with what is drawn above it. */
export interface Row {
	message: MessageItem;
	/** first message of its local day: draw a day separator */
	newDay: boolean;
	/** first unread message: draw the "new messages" divider */
	firstUnread: boolean;
	/** first of a run of one author's messages: draw name and avatar */
	groupStart: boolean;
}

/** The rows of `messages` (oldest → newest). */
export function buildRows(messages: MessageItem[], firstUnreadId: string | null): Row[] {
	const rows: Row[] = new Array(messages.length);
	let prev: MessageItem | undefined;
	for (let i = 0; i < messages.length; i++) {
		const message = messages[i]!;
		const newDay = !prev || dayOf(prev.createdAt) !== dayOf(message.createdAt);
		const firstUnread = message.id === firstUnreadId;
		const groupStart =
			newDay ||
			firstUnread ||
			!prev ||
			prev.authorId !== message.authorId ||
			prev.kind === 'system' ||
			message.kind === 'system' ||
			message.createdAt - prev.createdAt > GROUP_GAP_MS;
		rows[i] = { message, newDay, firstUnread, groupStart };
		prev = message;
	}
	return rows;
}
