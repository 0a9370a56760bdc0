/** One open conversation as runes state: a window of messages, states, typing, presence. */
import type { MessageView, RemovedReason, SyncStatus } from './types.js';

interface ConversationFields {
	title: string;
	kind: 'direct' | 'group' | 'channel';
	role: 'owner' | 'admin' | 'member' | 'subscriber';
	status: SyncStatus;
	messages: MessageView[];
	hasOlder: boolean;
	firstUnreadId: string | null;
	pendingCount: number;
	typing: string[];
	presence: { online: boolean; lastSeenAt?: number } | null;
	removed: RemovedReason | null;
}

export class ConversationState {
	readonly id: string;
	#state = $state<ConversationFields>({
		title: '',
		kind: 'group',
		role: 'member',
		status: 'connecting',
		messages: [],
		hasOlder: false,
		firstUnreadId: null,
		pendingCount: 0,
		typing: [],
		presence: null,
		removed: null
	});

	constructor(id: string) {
		this.id = id;
	}

	get title(): string {
		return this.#state.title;
	}
	get kind(): ConversationFields['kind'] {
		return this.#state.kind;
	}
	get role(): ConversationFields['role'] {
		return this.#state.role;
	}
	/** Never `up-to-date` before the relay answered. */
	get status(): SyncStatus {
		return this.#state.status;
	}
	/** A window over the document, oldest → newest. */
	get messages(): MessageView[] {
		return this.#state.messages;
	}
	get hasOlder(): boolean {
		return this.#state.hasOlder;
	}
	get firstUnreadId(): string | null {
		return this.#state.firstUnreadId;
	}
	get pendingCount(): number {
		return this.#state.pendingCount;
	}
	get typing(): string[] {
		return this.#state.typing;
	}
	get presence(): ConversationFields['presence'] {
		return this.#state.presence;
	}
	get removed(): RemovedReason | null {
		return this.#state.removed;
	}

	/** Widens the window by `count` older messages. */
	loadOlder(_count = 50): void {}
	/** Appends at once (pending); the outbox persists it and it is delivered when online. */
	send(_text: string): void {}
	setTyping(_typing: boolean): void {}
	markRead(_messageId: string): void {}
	/** The view closed: the hub closes the document when nobody else holds it. */
	release(): void {}
}
