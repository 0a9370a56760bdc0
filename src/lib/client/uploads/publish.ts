/**
 * Publishing a media message once its uploads are done: one `send` into the conversation's
 * document (whether or not a view has it open), then the background pool holds the document until
 * the relay confirmed it, as for any write left pending.
 */
import { findMessage, SyncWriteError } from '../../sync/doc-ops.js';
import type { Envelope } from '../../sync/schema.js';
import type { Session } from '../sync/session.js';
import { MediaOutbox } from './media-outbox.js';
import { UploadFailure, xhrUploader } from './request.js';

export async function publishEnvelope(session: Session, conversationId: string, envelope: Envelope): Promise<void> {
	const handle = await session.acquire(conversationId);
	try {
		// published already (by a tab that closed before forgetting the record): the same id twice is refused
		const sync = handle.sync;
		const known =
			findMessage(sync.doc, envelope.id) !== null || sync.queued.some((op) => op.kind === 'send' && op.envelope.id === envelope.id);
		if (!known) sync.write({ kind: 'send', envelope });
		// the pool opens it again before this handle closes it, and keeps it until the relay confirmed
		session.pool.flush([conversationId]);
	} catch (error) {
		// the shared write helper refused it (as the relay would): final, shown with the reason
		if (error instanceof SyncWriteError) throw new UploadFailure(400, 'refused', error.message, false);
		throw error;
	} finally {
		handle.release();
	}
}

/**
 * The session's media outbox: uploads from this browser, published into the session's documents.
 * Only one tab works the outbox at a time (a Web Lock): two tabs would upload the same files and
 * publish the same envelope id twice. The others show what is stored and hand over through a
 * BroadcastChannel ("the store changed": read it again).
 */
export function createMediaOutbox(session: Session, onStorageError: (error: unknown) => void): MediaOutbox {
	const name = `parley.media.${session.me.id}`;
	const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null;
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	// without Web Locks (Node tests, old browsers) this tab works alone
	let holder = !locks;
	let release: () => void = () => {};
	const outbox = new MediaOutbox({
		store: session.user.media,
		upload: xhrUploader(),
		publish: (conversationId, envelope) => publishEnvelope(session, conversationId, envelope),
		me: session.me.id,
		online: () => holder && session.online && !session.isEnded,
		onStorageError,
		announce: () => channel?.postMessage('changed'),
		onDestroy: () => {
			release();
			channel?.close();
			session.off('delivered', onDelivered);
			session.off('undelivered', onUndelivered);
		}
	});
	if (channel) channel.onmessage = () => void outbox.refresh();
	// A published message's record waits for the relay's word: stored (forget it) or given up on
	// (it comes back failed, files and text kept, for a retry).
	const onDelivered = (_conversationId: string, ids: string[]) => void outbox.delivered(ids);
	const onUndelivered = (conversationId: string, lost: Parameters<MediaOutbox['undelivered']>[1]) =>
		void outbox.undelivered(conversationId, lost);
	session.on('delivered', onDelivered);
	session.on('undelivered', onUndelivered);
	if (locks) {
		const held = new Promise<void>((resolve) => (release = resolve));
		void locks
			.request(name, async () => {
				holder = true;
				// what the previous holder sent or removed is gone from the store: start from it
				await outbox.refresh();
				outbox.setOnline(true);
				await held;
			})
			.catch(() => {});
	}
	return outbox;
}
