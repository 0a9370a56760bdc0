/**
 * One open conversation as runes state: the view model's snapshot (`ConversationViewModel`,
 * src/lib/client/view-models/conversation.ts, which does the work without Svelte) held in
 * `$state.raw`, and its commands forwarded. Made by the hub, ref-counted: `release()` when the
 * view closes.
 */
import type { MessagePermissions } from '../../shared/roles.js';
import type { EndReason } from '../sync/access.js';
import type { ConversationHandle } from '../sync/session.js';
import type { MediaRefusal } from '../uploads/media-outbox.js';
import type { Recording } from '../uploads/voice-recorder.js';
import type { PinItem } from '../sync/message-extras.js';
import {
	CONVERSATION_LIMITS,
	ConversationViewModel,
	type ConversationContext,
	type ConversationSnapshot
} from '../view-models/conversation.js';
import type { MessageView, RemovedReason, SyncStatus } from './types.js';

export { CONVERSATION_LIMITS, type ConversationContext, type ConversationSnapshot };

export class ConversationState {
	readonly id: string;
	readonly #vm: ConversationViewModel;
	readonly #release: () => void;
	#snapshot = $state.raw<ConversationSnapshot>() as ConversationSnapshot;

	constructor(id: string, ctx: ConversationContext) {
		this.id = id;
		this.#release = ctx.release;
		this.#vm = new ConversationViewModel(id, ctx);
		this.#snapshot = this.#vm.snapshot;
		this.#vm.on('snapshot', (snapshot) => (this.#snapshot = snapshot));
	}

	get title(): string {
		return this.#snapshot.title;
	}
	get kind(): ConversationSnapshot['kind'] {
		return this.#snapshot.kind;
	}
	get role(): ConversationSnapshot['role'] {
		return this.#snapshot.role;
	}
	/** Never `up-to-date` before the relay answered (a document loaded from IndexedDB is not synced). */
	get status(): SyncStatus {
		return this.#snapshot.status;
	}
	/** A window over the document, oldest → newest (own sends queued outside it at the end, pending). */
	get messages(): MessageView[] {
		return this.#snapshot.messages;
	}
	get hasOlder(): boolean {
		return this.#snapshot.hasOlder;
	}
	/** The first message by someone else after my read position when the conversation opened. */
	get firstUnreadId(): string | null {
		return this.#snapshot.firstUnreadId;
	}
	/** My writes in this conversation not yet confirmed by the relay. */
	get pendingCount(): number {
		return this.#snapshot.pendingCount;
	}
	/** Names of people typing now. */
	get typing(): string[] {
		return this.#snapshot.typing;
	}
	/** The other person's presence (direct only, as their privacy allows). */
	get presence(): ConversationSnapshot['presence'] {
		return this.#snapshot.presence;
	}
	/** Set when I was removed (4403) or the conversation was deleted (4404). */
	get removed(): RemovedReason | null {
		return this.#snapshot.removed;
	}
	/** Pinned messages still in the conversation, newest pin first. */
	get pins(): PinItem[] {
		return this.#snapshot.pins;
	}
	/** The members fetched for names (a group's, up to `memberNamesPage`): whom the composer can mention. */
	get members(): ConversationSnapshot['members'] {
		return this.#snapshot.members;
	}

	/** What I may do with `message` (the relay's rules, by my role here). */
	permissions(message: Pick<MessageView, 'own' | 'kind' | 'state'>): MessagePermissions {
		void this.#snapshot.role;
		void this.#snapshot.kind;
		return this.#vm.permissions(message);
	}
	/** My newest message I may edit in the loaded window (↑ in an empty composer), or null. */
	lastEditable(): MessageView | null {
		void this.#snapshot.messages;
		return this.#vm.lastEditable();
	}

	edit(messageId: string, text: string): boolean {
		return this.#vm.edit(messageId, text);
	}
	delete(messageId: string): boolean {
		return this.#vm.delete(messageId);
	}
	toggleReaction(messageId: string, emoji: string): boolean {
		return this.#vm.toggleReaction(messageId, emoji);
	}
	pin(messageId: string): boolean {
		return this.#vm.pin(messageId);
	}
	unpin(messageId: string): boolean {
		return this.#vm.unpin(messageId);
	}
	readBy(messageId: string): string[] {
		return this.#vm.readBy(messageId);
	}
	find(query: string): string[] {
		return this.#vm.find(query);
	}

	/** Ids of every message of the document, oldest first (search results put in the chat's order). */
	messageOrder(): string[] {
		return this.#vm.messageOrder();
	}

	loadOlder(count?: number): void {
		this.#vm.loadOlder(count);
	}
	loadUntil(messageId: string): boolean {
		return this.#vm.loadUntil(messageId);
	}
	/** Into the persisted outbox at once, loaded or not (`ConversationViewModel.send`). */
	send(text: string, replyTo?: string, mentions: string[] = []): boolean {
		return this.#vm.send(text, replyTo, mentions);
	}
	sendSticker(pack: string, id: string): boolean {
		return this.#vm.sendSticker(pack, id);
	}
	sendFiles(files: File[], options?: { caption?: string; asPhoto?: boolean; replyTo?: string }): Promise<MediaRefusal | null> {
		return this.#vm.sendFiles(files, options);
	}
	sendRecording(recording: Recording): Promise<MediaRefusal | null> {
		return this.#vm.sendRecording(recording);
	}
	cancelUpload(messageId: string): void {
		this.#vm.cancelUpload(messageId);
	}
	retryUpload(messageId: string): void {
		this.#vm.retryUpload(messageId);
	}
	setTyping(typing: boolean): void {
		this.#vm.setTyping(typing);
	}
	markRead(messageId: string): void {
		this.#vm.markRead(messageId);
	}

	/** The view closed (each holder calls it once; the last one closes the document). */
	release(): void {
		this.#release();
	}
	/** Called by the hub when the last holder released it. */
	dispose(): void {
		this.#vm.dispose();
	}
	/** Called by the hub when the inbox changed (title, presence). */
	inboxChanged(): void {
		this.#vm.inboxChanged();
	}
	/** Called by the hub: the session says this conversation ended. */
	ended(reason: EndReason): void {
		this.#vm.ended(reason);
	}
	/** Internal: the handle, for the hub (once opened). */
	get handle(): ConversationHandle | null {
		return this.#vm.handle;
	}
}
