/** Connects the inbox to commits and membership events (from this instance or, bridged, from others). */
import { subscribe, type ParleyEventMap, type ParleyEvents } from '../events.js';
import { parseDocName } from '../doc-names.js';
import type { InboxService } from './service.js';

/** What the inbox needs to know of a committed update (the `updateCommitted` event). */
export type CommittedChange = ParleyEventMap['updateCommitted'][0];

/** Runs an inbox update in the background; a failure is logged, never an unhandled rejection. */
function background(inbox: InboxService, work: Promise<void>): void {
	work.catch((error) => inbox.logError(error));
}

/** Routes a committed update to the inbox. */
export function inboxOnCommit(inbox: InboxService, change: CommittedChange): void {
	const target = parseDocName(change.docName);
	if (target?.kind !== 'conversation') return;
	if (change.envelopesChanged) background(inbox, inbox.conversationChanged(target.conversationId));
	else if (change.readBy) inbox.membersChanged(target.conversationId, [change.readBy]);
}

/** Subscribes the inbox to commits and membership events; returns the unsubscribe function. */
export function subscribeInbox(inbox: InboxService, events: ParleyEvents): () => void {
	return subscribe(events, {
		updateCommitted: (change) => inboxOnCommit(inbox, change),
		membershipChanged: ({ conversationId, userIds }) => background(inbox, inbox.membershipChanged(conversationId, userIds)),
		conversationEdited: ({ conversationId, userIds }) => background(inbox, inbox.membershipChanged(conversationId, userIds)),
		conversationDeleted: ({ conversationId, userIds }) => background(inbox, inbox.removed(conversationId, userIds)),
		accessRevoked: ({ userId, docName }) => {
			const target = parseDocName(docName);
			if (target?.kind === 'conversation') background(inbox, inbox.removed(target.conversationId, [userId]));
		}
	});
}
