/**
 * Turns committed messages and reactions into deliveries. `committed` is called on the relay's
 * commit path and only appends to a bounded in-memory batch (one per document, merged while it
 * waits): no query, no await. One worker then reads each batch's recipients a page at a time (one
 * database connection at most), applies the rules (recipients.ts), counts what was notified, and
 * hands one push per device to the delivery queue, waiting whenever that queue is full.
 *
 * Only the instance that committed a message hears it here (the relay's commit hook runs where the
 * update was accepted), so with several instances each message is pushed once.
 */
import type { Logger } from 'pino';
import type { Queryable } from '../db/index.js';
import type { UpdateChanges } from '$lib/sync/check-update';
import type { DeliveryQueue } from './delivery.js';
import { messagePayload, reactionPayload, type ConversationFacts, type PushPayload } from './payload.js';
import {
	addNotified,
	conversationFacts,
	conversationOfDocName,
	displayNames,
	messageRows,
	noticeFor,
	recipientPage,
	type BatchMessage,
	type BatchReaction,
	type Notice
} from './recipients.js';
import { liveSubscriptions } from './store.js';

/** What a committed update changed, and who sent it (the relay's projected changes). */
export type CommittedChanges = UpdateChanges & { userId: string };

/** The fan-out's bounds and payload limits (DEFAULT_LIMITS). */
export interface FanoutLimits {
	maxPending: number;
	maxMessages: number;
	pageSize: number;
	previewMaxChars: number;
	payloadMaxBytes: number;
}

interface Batch {
	docName: string;
	conversationId: string;
	messages: BatchMessage[];
	reactions: BatchReaction[];
}

/** Counters (tests, the bench, logs). */
export interface PushFanoutStats {
	batches: number;
	dropped: number;
	notices: number;
}

export class PushFanout {
	readonly stats: PushFanoutStats = { batches: 0, dropped: 0, notices: 0 };
	readonly #waiting: Batch[] = [];
	/** The batch of each document still open to more messages (waiting, not full). */
	readonly #open = new Map<string, Batch>();
	#running = false;
	#closed = false;
	#idleWaiters: Array<() => void> = [];

	constructor(
		private readonly deps: { db: Queryable; queue: DeliveryQueue; log: Logger; now: () => number },
		private readonly limits: FanoutLimits
	) {}

	/** The commit hook: new messages and reactions of a committed update. Synchronous and O(update). */
	committed(docName: string, changes: CommittedChanges): void {
		if (this.#closed) return;
		const conversationId = conversationOfDocName(docName);
		if (!conversationId) return;
		const deleted = new Set(changes.deleted);
		const messages: BatchMessage[] = [];
		for (const e of changes.added) {
			if (deleted.has(e.id) || e.kind === 'system') continue;
			messages.push({
				id: e.id,
				authorId: e.author,
				createdAt: e.createdAt,
				text: e.text,
				kind: e.kind ?? 'text',
				attachments: e.attachments?.length ?? 0,
				...(e.replyTo ? { replyTo: e.replyTo } : {}),
				...(e.mentions ? { mentions: e.mentions } : {})
			});
		}
		const at = this.deps.now();
		const reactions = changes.reactions.map((r) => ({ messageId: r.messageId, by: changes.userId, emoji: r.emoji, at }));
		if (messages.length === 0 && reactions.length === 0) return;
		// A reconnecting device may send a long backlog in one update: batches of maxMessages each.
		const step = this.limits.maxMessages;
		for (let i = 0; i < Math.max(messages.length, reactions.length); i += step)
			this.#add(docName, conversationId, messages.slice(i, i + step), reactions.slice(i, i + step));
		void this.#run();
	}

	/** Adds to the document's open batch, or opens a new one (or drops, past the bound). */
	#add(docName: string, conversationId: string, messages: BatchMessage[], reactions: BatchReaction[]): void {
		let batch = this.#open.get(docName);
		const max = this.limits.maxMessages;
		if (!batch || batch.messages.length + messages.length > max || batch.reactions.length + reactions.length > max) {
			if (this.#waiting.length >= this.limits.maxPending) {
				// Best effort past the bound: the messages are stored and synced; only this notice is lost.
				this.stats.dropped++;
				if (this.stats.dropped % 1000 === 1)
					this.deps.log.warn({ dropped: this.stats.dropped }, 'push fan-out full: notifications dropped');
				return;
			}
			batch = { docName, conversationId, messages: [], reactions: [] };
			this.#waiting.push(batch);
			this.#open.set(docName, batch);
		}
		batch.messages.push(...messages);
		batch.reactions.push(...reactions);
	}

	/** Resolves once every batch heard so far has been handed to the delivery queue. */
	whenIdle(): Promise<void> {
		if (!this.#running && this.#waiting.length === 0) return Promise.resolve();
		return new Promise((resolve) => this.#idleWaiters.push(resolve));
	}

	close(): void {
		this.#closed = true;
		this.#waiting.length = 0;
		this.#open.clear();
		for (const resolve of this.#idleWaiters.splice(0)) resolve();
	}

	async #run(): Promise<void> {
		if (this.#running) return;
		this.#running = true;
		try {
			while (!this.#closed && this.#waiting.length > 0) {
				const batch = this.#waiting.shift()!;
				if (this.#open.get(batch.docName) === batch) this.#open.delete(batch.docName);
				this.stats.batches++;
				try {
					await this.#fanOut(batch);
				} catch (error) {
					this.deps.log.warn({ err: error, doc: batch.docName }, 'push fan-out failed for a batch');
				}
			}
		} finally {
			this.#running = false;
			for (const resolve of this.#idleWaiters.splice(0)) resolve();
		}
	}

	async #fanOut(batch: Batch): Promise<void> {
		const { db } = this.deps;
		const conversation = await conversationFacts(db, batch.conversationId);
		if (!conversation) return;
		const authors = [...new Set([...batch.messages.map((m) => m.authorId), ...batch.reactions.map((r) => r.by)])];
		const names = await displayNames(db, authors);
		const ids = new Set<string>(batch.messages.map((m) => m.id));
		for (const m of batch.messages) if (m.replyTo) ids.add(m.replyTo);
		for (const r of batch.reactions) ids.add(r.messageId);
		const rows = await messageRows(db, batch.docName, [...ids]);
		// Reactions alone concern their messages' authors only: no need to page through everyone.
		const only = batch.messages.length
			? null
			: [...new Set(batch.reactions.map((r) => rows.get(r.messageId)?.authorId).filter((a): a is string => !!a))];
		if (only?.length === 0) return;
		let cursor = '';
		for (;;) {
			const page = await recipientPage(db, {
				conversationId: batch.conversationId,
				docName: batch.docName,
				cursor,
				authors,
				only,
				limit: this.limits.pageSize
			});
			const notices = page.map((r) => noticeFor(r, batch.messages, batch.reactions, rows)).filter((n): n is Notice => n !== null);
			await this.#deliver(batch, conversation, names, notices, new Map(page.map((r) => [r.userId, r.settings.preview])));
			if (page.length < this.limits.pageSize || this.#closed) return;
			cursor = page[page.length - 1]!.userId;
		}
	}

	async #deliver(
		batch: Batch,
		conversation: ConversationFacts,
		names: ReadonlyMap<string, string>,
		notices: Notice[],
		previews: ReadonlyMap<string, 'full' | 'name' | 'none'>
	): Promise<void> {
		if (notices.length === 0) return;
		this.stats.notices += notices.length;
		const { db, queue } = this.deps;
		const counts = await addNotified(
			db,
			batch.conversationId,
			new Map(notices.filter((n) => n.messages.length).map((n) => [n.userId, n.messages.length]))
		);
		const byUser = new Map(notices.map((n) => [n.userId, n]));
		for (const target of await liveSubscriptions(db, [...byUser.keys()])) {
			const notice = byUser.get(target.userId)!;
			const preview = previews.get(target.userId) ?? 'full';
			const payload = this.#payload(notice, conversation, names, counts.get(target.userId) ?? notice.messages.length, preview);
			// The queue is bounded: wait for room rather than hold more (the relay never waits on this).
			if (!queue.hasRoom()) await queue.whenRoom();
			if (this.#closed) return;
			queue.enqueue(target, batch.conversationId, payload);
		}
	}

	#payload(
		notice: Notice,
		conversation: ConversationFacts,
		names: ReadonlyMap<string, string>,
		count: number,
		preview: 'full' | 'name' | 'none'
	): PushPayload {
		const { previewMaxChars, payloadMaxBytes } = this.limits;
		const latest = notice.messages[notice.messages.length - 1];
		if (latest)
			return messagePayload({
				conversation,
				message: { ...latest, authorName: names.get(latest.authorId) ?? '' },
				count,
				mention: notice.mention,
				preview,
				previewMaxChars,
				maxBytes: payloadMaxBytes
			});
		const reaction = notice.reactions[notice.reactions.length - 1]!;
		return reactionPayload({
			conversation,
			messageId: reaction.messageId,
			by: { id: reaction.by, name: names.get(reaction.by) ?? '' },
			emoji: reaction.emoji,
			at: reaction.at,
			preview,
			maxBytes: payloadMaxBytes
		});
	}
}
