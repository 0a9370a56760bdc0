/**
 * Keeps every user's inbox document current: one entry per conversation (title, last message,
 * unread count, flags), written by the server only. Work per message is bounded: only inboxes
 * that are open somewhere are written (a closed inbox is rebuilt whole when it is next opened),
 * and in conversations with many members each member's entry is written at most once per
 * `inboxCoalesceMs`.
 */
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { Queryable } from '../db/index.js';
import type { DocService } from '../docs.js';
import { inboxDocName } from '../doc-names.js';
import { inboxEntries, type InboxEntry } from '$lib/sync/schema';
import { computeEntries, conversationsOf, membersOf } from './entries.js';

/** Limits of the inbox. */
export interface InboxLimits {
	/** Least time between two writes of one member's entry in a large conversation. */
	inboxCoalesceMs: number;
	/** Conversations with at most this many members update their members' inboxes at once. */
	inboxImmediateMaxMembers: number;
	/** Entries computed and written per pass; the rest wait for the next pass (inbox writes skip the commit-queue bounds). */
	inboxWriteMaxPairs: number;
}

/** Counters for tests and the benchmark (write amplification). */
export interface InboxStats {
	/** inbox documents written (one server write each) */
	docWrites: number;
	/** entries written in them */
	entryWrites: number;
	/** entry computations skipped because the member's inbox was not open */
	skippedClosed: number;
	/** Most entries one pass wrote (at most inboxWriteMaxPairs). */
	largestPass: number;
}

/** Conversations whose member lists stay cached (least recently used go first). */
const MEMBER_CACHE_SIZE = 2_000;

export class InboxService {
	readonly stats: InboxStats = { docWrites: 0, entryWrites: 0, skippedClosed: 0, largestPass: 0 };
	/** user → conversation → when its entry may next be written */
	readonly #due = new Map<string, Map<string, number>>();
	/** user → conversation → when its entry was last written (for coalescing) */
	readonly #lastWritten = new Map<string, Map<string, number>>();
	readonly #members = new Map<string, Promise<string[]>>();
	#timer: NodeJS.Timeout | null = null;
	#timerAt = Infinity;
	#flushing: Promise<void> = Promise.resolve();
	#closed = false;

	constructor(
		private readonly deps: {
			db: Queryable;
			docs: DocService;
			log: Logger;
			now: () => number;
			limits: InboxLimits;
			/** Whether a user's inbox document is open on some connection now. */
			isOpen: (userId: string) => boolean;
		}
	) {}

	/** Something changed in a conversation that every member's entry shows (a message, its title). */
	async conversationChanged(conversationId: string): Promise<void> {
		const members = await this.#membersOf(conversationId);
		const large = members.length > this.deps.limits.inboxImmediateMaxMembers;
		for (const userId of members) this.#mark(userId, conversationId, large);
	}

	/** Something changed for these members only (read position, settings, role). */
	membersChanged(conversationId: string, userIds: readonly string[]): void {
		for (const userId of userIds) this.#mark(userId, conversationId, false);
	}

	/** Membership changed: forget the cached member list, refresh the given users (or all). */
	async membershipChanged(conversationId: string, userIds?: readonly string[]): Promise<void> {
		this.#members.delete(conversationId);
		if (userIds) this.membersChanged(conversationId, userIds);
		else await this.conversationChanged(conversationId);
	}

	/** A conversation is gone: drop its entry from these users' inboxes. */
	async removed(conversationId: string, userIds: readonly string[]): Promise<void> {
		this.#members.delete(conversationId);
		await Promise.all(
			userIds.filter(this.deps.isOpen).map((userId) =>
				this.deps.docs.write(inboxDocName(userId), (doc) => {
					inboxEntries(doc).delete(conversationId);
				})
			)
		);
	}

	/** Brings a user's inbox document up to date whole (when it is opened after being closed). */
	async rebuild(userId: string, doc: Y.Doc, write: (fn: (doc: Y.Doc) => void) => Promise<void>): Promise<void> {
		const ids = await conversationsOf(this.deps.db, userId);
		const entries =
			(
				await computeEntries(
					this.deps.db,
					ids.map((id) => [userId, id] as const)
				)
			).get(userId) ?? new Map();
		const map = inboxEntries(doc);
		const stale = [...map.keys()].filter((id) => !entries.has(id));
		const changed = [...entries].filter(([id, entry]) => JSON.stringify(map.get(id)) !== JSON.stringify(entry));
		if (stale.length === 0 && changed.length === 0) return;
		await write((d) => {
			const target = inboxEntries(d);
			for (const id of stale) target.delete(id);
			for (const [id, entry] of changed) target.set(id, entry);
		});
		this.stats.docWrites++;
		this.stats.entryWrites += changed.length + stale.length;
	}

	/** Logs a failed background update (entries are rebuilt when an inbox is next opened). */
	logError(error: unknown): void {
		this.deps.log.error({ err: error }, 'inbox update failed');
	}

	/** Writes everything due now and waits for it (tests; shutdown). */
	async flush(): Promise<void> {
		await this.#run(Infinity);
		// A pass writes at most inboxWriteMaxPairs entries: go on until none is left.
		while (!this.#closed && this.#due.size > 0) await this.#run(Infinity);
	}

	/** Stops the timer; pending entries are dropped (inboxes are rebuilt when next opened). */
	close(): void {
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
	}

	#membersOf(conversationId: string): Promise<string[]> {
		let members = this.#members.get(conversationId);
		if (members) {
			// Most recently used last: the cache below evicts from the front.
			this.#members.delete(conversationId);
			this.#members.set(conversationId, members);
			return members;
		}
		members = membersOf(this.deps.db, conversationId);
		this.#members.set(conversationId, members);
		members.catch(() => this.#members.delete(conversationId));
		if (this.#members.size > MEMBER_CACHE_SIZE) this.#members.delete(this.#members.keys().next().value!);
		return members;
	}

	#mark(userId: string, conversationId: string, coalesce: boolean): void {
		if (this.#closed) return;
		// A closed inbox is rebuilt when opened: nothing to write now.
		if (!this.deps.isOpen(userId)) {
			this.stats.skippedClosed++;
			return;
		}
		const now = this.deps.now();
		const last = this.#lastWritten.get(userId)?.get(conversationId) ?? -Infinity;
		const dueAt = coalesce ? Math.max(now, last + this.deps.limits.inboxCoalesceMs) : now;
		let due = this.#due.get(userId);
		if (!due) this.#due.set(userId, (due = new Map()));
		due.set(conversationId, Math.min(due.get(conversationId) ?? Infinity, dueAt));
		this.#schedule(dueAt);
	}

	#schedule(at: number): void {
		if (at >= this.#timerAt) return;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timerAt = at;
		// setTimeout(0) still lets the updates of this turn of the event loop join the batch.
		this.#timer = setTimeout(
			() => {
				this.#timer = null;
				this.#timerAt = Infinity;
				void this.#run(this.deps.now());
			},
			Math.max(0, at - this.deps.now())
		);
		this.#timer.unref();
	}

	/** Writes every entry due by `until`; runs one at a time. */
	#run(until: number): Promise<void> {
		this.#flushing = this.#flushing
			.then(() => this.#write(until))
			.catch((error) => this.deps.log.error({ err: error }, 'inbox update failed'));
		return this.#flushing;
	}

	async #write(until: number): Promise<void> {
		const pairs: Array<readonly [string, string]> = [];
		let next = Infinity;
		// Server writes are not held back by the commit queue's bounds: a pass is bounded here, so a
		// burst (a message to a 1000-member group, many groups at once) is written in slices.
		const max = this.deps.limits.inboxWriteMaxPairs;
		for (const [userId, due] of this.#due) {
			for (const [conversationId, at] of due) {
				if (at <= until && pairs.length >= max) next = Math.min(next, this.deps.now());
				else if (at <= until) {
					pairs.push([userId, conversationId]);
					due.delete(conversationId);
				} else next = Math.min(next, at);
			}
			if (due.size === 0) this.#due.delete(userId);
		}
		if (next !== Infinity) this.#schedule(next);
		if (pairs.length === 0) return;
		this.stats.largestPass = Math.max(this.stats.largestPass, pairs.length);
		const now = this.deps.now();
		const entries = await computeEntries(this.deps.db, pairs);
		await Promise.all(
			[...entries].map(async ([userId, byConversation]) => {
				await this.deps.docs.write(inboxDocName(userId), (doc) => {
					const map = inboxEntries(doc);
					for (const [id, entry] of byConversation) if (JSON.stringify(map.get(id)) !== JSON.stringify(entry)) map.set(id, entry);
				});
				let written = this.#lastWritten.get(userId);
				if (!written) this.#lastWritten.set(userId, (written = new Map()));
				// Times older than the coalescing window no longer matter: keep the map small.
				for (const [id, at] of written) if (now - at > this.deps.limits.inboxCoalesceMs) written.delete(id);
				for (const id of byConversation.keys()) written.set(id, now);
				this.stats.docWrites++;
				this.stats.entryWrites += byConversation.size;
			})
		);
	}
}

export type { InboxEntry };
