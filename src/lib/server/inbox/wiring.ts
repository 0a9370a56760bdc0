/** Connects the inbox to the relay's commits and loads and to membership events. */
import type { ParleyEvents } from '../events.js';
import { parseDocName } from '../doc-names.js';
import type { InboxService } from './service.js';

/** What the inbox needs to know of a committed update. */
export interface CommittedChange {
	docName: string;
	/** envelopes added, edited or deleted (the entry's last message may change) */
	envelopesChanged: boolean;
	/** the sender moved their read position */
	readBy: string | null;
}

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

/** Subscribes the inbox to membership events; returns the unsubscribe function. */
export function subscribeInbox(inbox: InboxService, events: ParleyEvents): () => void {
	const onMembership = ({ conversationId, userIds }: { conversationId: string; userIds?: string[] }) =>
		background(inbox, inbox.membershipChanged(conversationId, userIds));
	const onDeleted = ({ conversationId, userIds }: { conversationId: string; userIds: string[] }) =>
		background(inbox, inbox.removed(conversationId, userIds));
	const onRevoked = ({ userId, docName }: { userId: string; docName: string }) => {
		const target = parseDocName(docName);
		if (target?.kind === 'conversation') background(inbox, inbox.removed(target.conversationId, [userId]));
	};
	events.on('membershipChanged', onMembership);
	events.on('conversationDeleted', onDeleted);
	events.on('accessRevoked', onRevoked);
	return () => {
		events.off('membershipChanged', onMembership);
		events.off('conversationDeleted', onDeleted);
		events.off('accessRevoked', onRevoked);
	};
}
