/**
 * What the open chat is doing with its messages, as runes state: the actions menu, a reply or an
 * edit under way, the delete confirmation, "Read by", find and the shortcuts list. The chat view
 * binds its components to it; the writes go through the ConversationState (outbox, offline).
 */
import type { ConversationState } from './conversation.svelte.js';
import type { MessagePermissions, MessageView, ReplyPreview } from './types.js';
import { snippet } from '../sync/message-extras.js';

/** What the controller needs from the page (the composer and the list are components). */
export interface ChatActionsUi {
	/** replaces the composer's text and focuses it */
	setText(text: string): void;
	focusComposer(): void;
	/** shows a message in the list (loading history as needed) and highlights it */
	reveal(messageId: string, options?: { focus?: boolean }): void;
	/** the saved draft, and saving one */
	draft(): string;
	setDraft(text: string): void;
	/** how I am named in a quote of my own message */
	you(): string;
	/** a message was sent: show the newest */
	sent(): void;
}

/** The open actions menu. */
export interface MenuTarget {
	messageId: string;
	permissions: MessagePermissions;
	pinned: boolean;
	at: { x: number; y: number };
}

/** A menu choice or a message shortcut. */
export type ChatAction = 'reply' | 'edit' | 'pin' | 'unpin' | 'delete' | 'readBy';

export class ChatActions {
	menu = $state.raw<MenuTarget | null>(null);
	/** the message being answered */
	replyTo = $state.raw<ReplyPreview | null>(null);
	/** the message being edited, and the draft to put back afterwards */
	editing = $state.raw<{ id: string; quote: ReplyPreview; saved: string } | null>(null);
	confirmingDelete = $state(false);
	readByOpen = $state(false);
	readByNames = $state.raw<string[]>([]);
	findOpen = $state(false);
	shortcutsOpen = $state(false);

	readonly #conversation: ConversationState;
	readonly #ui: ChatActionsUi;
	#opener: HTMLElement | null = null;
	#deleteId: string | null = null;

	constructor(conversation: ConversationState, ui: ChatActionsUi) {
		this.#conversation = conversation;
		this.#ui = ui;
	}

	#message(id: string): MessageView | undefined {
		return this.#conversation.messages.find((m) => m.id === id);
	}

	#quote(message: MessageView): ReplyPreview {
		return {
			id: message.id,
			authorId: message.authorId,
			authorName: message.own ? this.#ui.you() : message.authorName,
			snippet: snippet(message.text),
			kind: message.kind,
			deleted: false
		};
	}

	/** Opens the actions menu of `messageId` by `opener` (below it), or at a pointer position. */
	open(messageId: string, opener: HTMLElement, at?: { x: number; y: number }): void {
		const message = this.#message(messageId);
		if (!message || message.kind === 'system') return;
		this.#opener = opener;
		// from the keyboard the opener is the message: open by its actions button
		const anchor = opener.querySelector<HTMLElement>('button[aria-haspopup="menu"]') ?? opener;
		const rect = anchor.getBoundingClientRect();
		this.menu = {
			messageId,
			permissions: this.#conversation.permissions(message),
			pinned: message.pinned === true,
			at: at ?? { x: rect.left, y: rect.bottom }
		};
	}

	/** Closes the menu; focus goes back where it was opened from. */
	closeMenu(): void {
		if (!this.menu) return;
		this.menu = null;
		const opener = this.#opener;
		this.#opener = null;
		if (opener?.isConnected) opener.focus();
	}

	/** A menu choice. */
	act(action: ChatAction, messageId: string): void {
		this.closeMenu();
		this.#run(action, messageId);
	}

	/** My reaction toggled from the menu's bar. */
	react(messageId: string, emoji: string): void {
		this.#conversation.toggleReaction(messageId, emoji);
	}

	/** A shortcut on a focused message: only what the menu would offer. */
	key(action: 'menu' | 'reply' | 'edit' | 'delete' | 'pin', messageId: string, node: HTMLElement): void {
		if (action === 'menu') return this.open(messageId, node);
		const message = this.#message(messageId);
		if (!message || message.kind === 'system') return;
		const allowed = this.#conversation.permissions(message);
		if (action === 'pin') {
			if (allowed.pin) this.#run(message.pinned ? 'unpin' : 'pin', messageId);
		} else if (allowed[action]) this.#run(action, messageId);
	}

	#run(action: ChatAction, messageId: string): void {
		const message = this.#message(messageId);
		if (!message) return;
		switch (action) {
			case 'reply':
				this.#endEdit();
				this.replyTo = this.#quote(message);
				this.#ui.focusComposer();
				return;
			case 'edit':
				return this.#startEdit(message);
			case 'pin':
				this.#conversation.pin(messageId);
				return;
			case 'unpin':
				this.#conversation.unpin(messageId);
				return;
			case 'delete':
				this.#deleteId = messageId;
				this.confirmingDelete = true;
				return;
			case 'readBy':
				this.readByNames = this.#conversation.readBy(messageId);
				this.readByOpen = true;
				return;
		}
	}

	/** The confirmation dialog's "Delete". */
	confirmDelete(): void {
		const id = this.#deleteId;
		this.#deleteId = null;
		if (!id) return;
		this.#conversation.delete(id);
		if (this.replyTo?.id === id) this.replyTo = null;
		if (this.editing?.id === id) this.cancel();
	}

	#startEdit(message: MessageView): void {
		this.replyTo = null;
		const saved = this.editing ? this.editing.saved : this.#ui.draft();
		this.editing = { id: message.id, quote: this.#quote(message), saved };
		this.#ui.setText(message.text);
	}

	/** Leaves edit mode and puts the draft back (after the composer cleared itself on send). */
	#endEdit(): void {
		const editing = this.editing;
		if (!editing) return;
		this.editing = null;
		queueMicrotask(() => {
			this.#ui.setText(editing.saved);
			this.#ui.setDraft(editing.saved);
		});
	}

	/** Cancels a reply or an edit (× or Esc). */
	cancel(): void {
		this.replyTo = null;
		this.#endEdit();
		this.#ui.focusComposer();
	}

	/** The composer's send: saves an edit, or sends (as a reply when one is under way; `mentions`: user ids, R28). */
	send(text: string, mentions: string[] = []): boolean {
		const editing = this.editing;
		if (editing) {
			if (!this.#conversation.edit(editing.id, text)) return false;
			this.#endEdit();
			return true;
		}
		const replyTo = this.replyTo;
		if (!this.#conversation.send(text, replyTo?.id, mentions)) return false;
		this.replyTo = null;
		this.#ui.sent();
		return true;
	}

	/** Whether the composer's text should go to the drafts (not while it holds a message being edited). */
	get keepsDraft(): boolean {
		return this.editing === null;
	}

	/** Keys in the composer: Esc cancels a reply or an edit; ↑ in an empty box edits my last message. */
	composerKey(event: KeyboardEvent, text: string): boolean {
		if (event.key === 'Escape' && (this.replyTo || this.editing)) {
			this.cancel();
			return true;
		}
		if (event.key === 'ArrowUp' && text === '' && !this.editing && !event.shiftKey && !event.isComposing) {
			const last = this.#conversation.lastEditable();
			if (!last) return false;
			this.#startEdit(last);
			return true;
		}
		return false;
	}

	/** Keys anywhere in the chat: Ctrl+F finds, ? lists the shortcuts. */
	chatKey(event: KeyboardEvent): void {
		if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
			event.preventDefault();
			this.findOpen = true;
			return;
		}
		const target = event.target as HTMLElement;
		const typing = target.closest('input, textarea, [contenteditable="true"]') !== null;
		if (event.key === '?' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
			event.preventDefault();
			this.shortcutsOpen = true;
		}
	}
}
