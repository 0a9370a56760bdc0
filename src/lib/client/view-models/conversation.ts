/**
 * One open conversation as a view model, without Svelte: it turns the conversation's document,
 * its awareness and the media waiting for uploads into one plain snapshot (a window of messages
 * with own messages' states, status, typing, presence, pins, title/kind/role), emitted as one
 * `snapshot` event per change (coalesced per microtask), and takes the screen's commands (send,
 * edit, react, …). It follows the document and re-attaches when a recovery swaps it
 * (`ConversationSync`'s `doc` event). `ConversationState` (state/) holds the snapshot in runes.
 */
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { ConversationHandle, Session } from '../sync/session.js';
import type { ConversationSync } from '../sync/conversation-sync.js';
import { MonotonicStates } from '../sync/message-state.js';
import { firstUnread, messageWindow } from '../sync/views.js';
import {
	conversationTypes,
	envelopeProblem,
	readPosition,
	SYNC_LIMITS,
	SyncWriteError,
	type EditValue,
	type Envelope
} from '../../sync/index.js';
import type { WriteOp } from '../sync/write-ops.js';
import { markOpen, OPEN_MARKS } from '../perf-marks.js';
import type { EndReason } from '../sync/access.js';
import type { InboxItem, MessageView, RemovedReason, SyncStatus } from '../state/types.js';
import { ObservableV2 } from 'lib0/observable';
import { MediaRefusedError, type MediaOutbox, type MediaRefusal } from '../uploads/media-outbox.js';
import { pendingMediaViews, PreviewUrls } from '../uploads/pending-views.js';
import { prepareFiles } from '../uploads/prepare.js';
import type { Recording } from '../uploads/voice-recorder.js';
import { SHARED_LIMITS } from '../../shared/limits.js';
import { messagePermissions, type ConversationKind, type MessagePermissions, type Role } from '../../shared/roles.js';
import { findMessages, pinList, readers, toggledReaction, type PinItem } from '../sync/message-extras.js';

/** Conversation view limits, named. */
export const CONVERSATION_LIMITS = {
	/** messages in the first window: a screen or two, cheap to map even for a 10 000-message doc */
	initialWindow: 60,
	/** messages added by each `loadOlder()` */
	olderStep: 60,
	/** a typing flag older than this is stale (the sender's tab died without clearing it) */
	typingTtlMs: 6_000,
	/** members fetched once for names (chips, "Read by"): the server's largest page */
	memberNamesPage: SHARED_LIMITS.conversationMembersPageMax
} as const;

/** What the view model needs from the hub. */
export interface ConversationContext {
	session: Session;
	/** display name of a user id */
	name: (userId: string) => string;
	/** the inbox entry of this conversation, if known */
	entry: () => InboxItem | undefined;
	presence: (userId: string) => { online: boolean; lastSeenAt?: number } | undefined;
	/** the hub's ref count: the last release disposes the state */
	release: () => void;
	/** messages with files waiting for their uploads */
	media?: MediaOutbox;
}

/** Everything the conversation screen shows, as plain data (a new object per change). */
export interface ConversationSnapshot {
	/** a window over the document, oldest → newest (own sends queued outside it at the end, pending) */
	messages: MessageView[];
	hasOlder: boolean;
	/** never `up-to-date` before the relay answered (a document loaded from IndexedDB is not synced) */
	status: SyncStatus;
	/** my writes here not yet confirmed by the relay */
	pendingCount: number;
	/** names of people typing now */
	typing: string[];
	/** set when I was removed (4403) or the conversation was deleted (4404) */
	removed: RemovedReason | null;
	/** the first message by someone else after my read position when the conversation opened */
	firstUnreadId: string | null;
	title: string;
	kind: ConversationKind;
	role: Role;
	/** the other person's presence (direct only, as their privacy allows) */
	presence: { online: boolean; lastSeenAt?: number } | null;
	/** pinned messages still in the conversation, newest pin first */
	pins: PinItem[];
	/** a group's members as last fetched (whom the composer can mention); empty offline or in a direct chat */
	members: { id: string; username: string }[];
}

export class ConversationViewModel extends ObservableV2<{ snapshot: (snapshot: ConversationSnapshot) => void }> {
	readonly id: string;
	#messages: MessageView[] = [];
	#hasOlder = false;
	#status: SyncStatus = 'connecting';
	#pendingCount = 0;
	#typing: string[] = [];
	#removed: RemovedReason | null = null;
	#firstUnreadId: string | null = null;
	#meta: { title: string; kind: ConversationKind; role: Role } = { title: '', kind: 'group', role: 'member' };
	#snapshot: ConversationSnapshot;

	readonly #ctx: ConversationContext;
	readonly #states = new MonotonicStates();
	#handle: ConversationHandle | null = null;
	#window: number = CONVERSATION_LIMITS.initialWindow;
	#detach: (() => void) | null = null;
	#scheduled = false;
	#released = false;
	#unreadFrozen = false;
	/** an empty document to draw sends made before the conversation's document opened (`Session.waiting`) */
	#blank: Y.Doc | null = null;
	#lastPrivateRead: string | null = null;
	readonly #previews = new PreviewUrls();
	#unsubscribeMedia: (() => void) | undefined;
	#pins: PinItem[] = [];
	/** a group's members as last fetched (the mention picker's list) */
	#members: { id: string; username: string }[] = [];
	/** a members request is out or answered (once per open; a failure lets the next refresh ask again) */
	#membersAsked = false;
	/** the pin list is rebuilt only when pins, deletions or edits of pinned messages changed (it walks the document) */
	#pinsDirty = true;
	#typingTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(id: string, ctx: ConversationContext) {
		super();
		this.id = id;
		this.#ctx = ctx;
		this.#status = ctx.session.online ? 'connecting' : 'offline';
		this.#fromEntry();
		this.#snapshot = this.#take();
		this.#unsubscribeMedia = ctx.media?.onChange(() => this.#schedule());
		ctx.session
			.acquire(id)
			.then((handle) => {
				if (this.#released) return handle.release();
				markOpen(OPEN_MARKS.localLoaded);
				this.#handle = handle;
				this.#attach(handle.sync.doc);
				handle.sync.on('doc', (doc) => this.#attach(doc));
				handle.sync.on('change', () => this.#schedule());
				handle.sync.on('confirmed', () => this.#schedule());
				handle.sync.on('ended', (reason: EndReason) => this.#ended(reason));
				this.#loadMembers();
				this.#schedule();
			})
			.catch(() => {
				this.#status = 'offline';
				this.#publish();
			});
	}

	/** What the screen shows now (the last `snapshot` event's). */
	get snapshot(): ConversationSnapshot {
		return this.#snapshot;
	}

	/** What I may do with `message` (the relay's rules, by my role here). */
	permissions(message: Pick<MessageView, 'own' | 'kind' | 'state'>): MessagePermissions {
		return messagePermissions({
			own: message.own,
			kind: message.kind,
			role: this.#meta.role,
			conversation: this.#meta.kind,
			pending: message.state === 'pending'
		});
	}

	/** My newest message I may edit in the loaded window (↑ in an empty composer), or null. */
	lastEditable(): MessageView | null {
		for (let i = this.#messages.length - 1; i >= 0; i--) {
			const message = this.#messages[i]!;
			if (message.own && this.permissions(message).edit) return message;
		}
		return null;
	}

	/** Replaces the text of my message `messageId` (shown at once, delivered by the outbox). False when refused. */
	edit(messageId: string, text: string): boolean {
		if (text.trim() === '') return false;
		return this.#write({ kind: 'edit', messageId, text, editedAt: Date.now() });
	}

	/** Deletes a message (mine, or anyone's as owner/admin). */
	delete(messageId: string): boolean {
		return this.#write({ kind: 'delete', messageId });
	}

	/** Adds or removes my `emoji` on a message (at most `SYNC_LIMITS.maxEmojiPerReaction` distinct ones). */
	toggleReaction(messageId: string, emoji: string): boolean {
		const doc = this.#handle?.sync.doc;
		if (!doc) return false;
		const next = toggledReaction(doc, this.#ctx.session.me.id, messageId, emoji);
		if (next.length > SYNC_LIMITS.maxEmojiPerReaction) return false;
		return this.#write({ kind: 'react', messageId, emoji: next });
	}

	pin(messageId: string): boolean {
		return this.#write({ kind: 'pin', messageId, at: Date.now() });
	}

	unpin(messageId: string): boolean {
		return this.#write({ kind: 'unpin', messageId });
	}

	/** Names of the members who have read `messageId` (only people with read receipts on write a position: R24). */
	readBy(messageId: string): string[] {
		const doc = this.#handle?.sync.doc;
		return doc ? readers(doc, messageId, this.#ctx.session.me.id).map((id) => this.#ctx.name(id)) : [];
	}

	/** Ids of cached messages whose text holds `query`, oldest first (bounded by EXTRAS_LIMITS). */
	find(query: string): string[] {
		const doc = this.#handle?.sync.doc;
		return doc ? findMessages(doc, query) : [];
	}

	/** Widens the window by `count` older messages. */
	loadOlder(count: number = CONVERSATION_LIMITS.olderStep): void {
		this.#window += count;
		this.#refresh();
	}

	/** Ids of every message of the document, oldest first (search results put in the chat's order). */
	messageOrder(): string[] {
		const doc = this.#handle?.sync.doc;
		return doc
			? conversationTypes(doc)
					.messages.toArray()
					.map((m) => m.id)
			: [];
	}
	/** Widens the window until it holds `messageId` (jump to the first unread); false if the document has no such message. */
	loadUntil(messageId: string): boolean {
		const doc = this.#handle?.sync.doc;
		if (!doc) return false;
		const all = conversationTypes(doc).messages.toArray();
		const index = all.findIndex((m) => m.id === messageId);
		if (index < 0) return false;
		this.#window = Math.max(this.#window, all.length - index + CONVERSATION_LIMITS.olderStep / 2);
		this.#refresh();
		return true;
	}

	/**
	 * Appends at once (pending); the outbox persists it, and it is delivered when online, whether
	 * or not the document has loaded yet (`Session.write`). False when nothing was sent: empty,
	 * removed, or what the relay would refuse (over 16 KiB, NUL).
	 */
	send(text: string, replyTo?: string, mentions: string[] = []): boolean {
		if (text.trim() === '' || this.#removed) return false;
		const envelope = {
			id: crypto.randomUUID(),
			author: this.#ctx.session.me.id,
			createdAt: Date.now(),
			text,
			...(replyTo ? { replyTo } : {}),
			...(mentions.length ? { mentions } : {})
		};
		if (!this.#send(envelope)) return false;
		this.#ctx.session.drafts.set(this.id, '');
		return true;
	}

	/**
	 * Sends sticker `id` of `pack` (`{kind: "sticker", text: ""}`), through the outbox like text:
	 * shown at once as pending, delivered when online, loaded or not.
	 */
	sendSticker(pack: string, id: string): boolean {
		if (this.#removed) return false;
		return this.#send({
			id: crypto.randomUUID(),
			author: this.#ctx.session.me.id,
			createdAt: Date.now(),
			text: '',
			kind: 'sticker' as const,
			sticker: { pack, id }
		});
	}

	/** A new message into the persisted outbox (the document loaded or not); false when refused locally. */
	#send(envelope: Envelope): boolean {
		if (envelopeProblem(envelope) !== null) return false;
		try {
			if (!this.#ctx.session.write(this.id, { kind: 'send', envelope })) return false;
		} catch (error) {
			if (error instanceof SyncWriteError) return false;
			throw error;
		}
		this.#unreadFrozen = true;
		this.#schedule();
		return true;
	}

	/**
	 * Queues a message with `files` (shown at once, pending, with previews), sent once all are
	 * uploaded; `asPhoto` compresses images. Resolves with the reason when refused, else null.
	 */
	async sendFiles(files: File[], options: { caption?: string; asPhoto?: boolean; replyTo?: string } = {}): Promise<MediaRefusal | null> {
		return this.#queueMedia(await prepareFiles(files, options.asPhoto ?? false), options);
	}

	/** Queues a recorded voice message (one audio attachment with its duration). */
	sendRecording(recording: Recording): Promise<MediaRefusal | null> {
		return this.#queueMedia([{ blob: recording.blob, name: recording.name, duration: recording.duration }], {});
	}

	/** Cancels a pending media message (its uploads stop, it disappears). */
	cancelUpload(messageId: string): void {
		void this.#ctx.media?.remove(messageId);
	}

	/** Tries a failed media message again. */
	retryUpload(messageId: string): void {
		void this.#ctx.media?.retry(messageId);
	}

	async #queueMedia(
		files: Parameters<MediaOutbox['add']>[0]['files'],
		options: { caption?: string; replyTo?: string }
	): Promise<MediaRefusal | null> {
		const media = this.#ctx.media;
		if (!media || this.#removed) return 'storage';
		try {
			await media.add({ conversationId: this.id, files, caption: options.caption?.trim() ?? '', replyTo: options.replyTo });
		} catch (error) {
			if (error instanceof MediaRefusedError) return error.reason;
			throw error;
		}
		this.#unreadFrozen = true;
		return null;
	}

	/** Tells the others I am typing (awareness; cleared after a pause by the caller, or stale after a few seconds). */
	setTyping(typing: boolean): void {
		const awareness = this.#handle?.sync.provider.awareness;
		awareness?.setLocalStateField('typing', typing ? Date.now() : null);
	}

	/** Marks `messageId` (and everything before it) read: in the document when my receipts are on, privately otherwise (R24). */
	markRead(messageId: string): void {
		const sync = this.#handle?.sync;
		if (!sync) return;
		const session = this.#ctx.session;
		const me = session.me.id;
		const position = readPosition(sync.doc, me);
		const all = conversationTypes(sync.doc).messages.toArray();
		const target = all.findIndex((m) => m.id === messageId);
		if (target < 0 || (position && position.index >= target)) return;
		if (session.readReceipts === true) {
			sync.write({ kind: 'read', messageId, at: Date.now() });
		} else if (this.#lastPrivateRead !== messageId) {
			// receipts off or not known yet: the private route, which nobody else sees
			this.#lastPrivateRead = messageId;
			void session.api.markRead(this.id, messageId).catch(() => (this.#lastPrivateRead = null));
		}
	}

	/** Closes the document (the last holder released it). */
	dispose(): void {
		if (this.#released) return;
		this.#released = true;
		this.destroy();
		this.#unsubscribeMedia?.();
		this.#previews.revokeAll();
		clearTimeout(this.#typingTimer);
		this.#detach?.();
		this.#handle?.release();
		this.#blank?.destroy();
	}

	/** Called by the hub when the inbox changed (title, presence). */
	inboxChanged(): void {
		this.#fromEntry();
		// not the pin list: the inbox changes with every message of every chat, and the list walks
		// this whole document (its names are refreshed when the members arrive)
		this.#publish();
	}

	/** Called by the hub: the session says this conversation ended. */
	ended(reason: EndReason): void {
		this.#ended(reason);
	}

	/** The conversation's handle, once opened. */
	get handle(): ConversationHandle | null {
		return this.#handle;
	}

	#ended(reason: EndReason): void {
		if (reason === 'removed' || reason === 'deleted') this.#removed = reason;
		this.#schedule();
	}

	#fromEntry(): void {
		const entry = this.#ctx.entry();
		if (!entry) return;
		this.#meta = { title: entry.title, kind: entry.kind, role: entry.role };
	}

	#attach(doc: Y.Doc): void {
		this.#detach?.();
		const t = conversationTypes(doc);
		const onDeep = () => this.#schedule();
		// the pin list walks the document: rebuilt only when what it shows may have changed
		const onPins = () => {
			this.#pinsDirty = true;
			this.#schedule();
		};
		const onMessages = (event: Y.YArrayEvent<Envelope>) => {
			if (event.changes.deleted.size > 0) this.#pinsDirty = true;
			this.#schedule();
		};
		const onEdits = (event: Y.YMapEvent<EditValue>) => {
			for (const key of event.keysChanged) if (t.pins.has(key)) this.#pinsDirty = true;
			this.#schedule();
		};
		this.#pinsDirty = true;
		t.messages.observe(onMessages);
		t.edits.observe(onEdits);
		t.reactions.observe(onDeep);
		t.pins.observe(onPins);
		t.reads.observe(onDeep);
		const meta = doc.getMap('meta');
		meta.observe(onDeep);
		const awareness: Awareness | undefined = this.#handle?.sync.provider.awareness;
		awareness?.on('change', onDeep);
		this.#detach = () => {
			t.messages.unobserve(onMessages);
			t.edits.unobserve(onEdits);
			t.reactions.unobserve(onDeep);
			t.pins.unobserve(onPins);
			t.reads.unobserve(onDeep);
			meta.unobserve(onDeep);
			awareness?.off('change', onDeep);
		};
		this.#schedule();
	}

	#schedule(): void {
		if (this.#scheduled) return;
		this.#scheduled = true;
		queueMicrotask(() => {
			this.#scheduled = false;
			if (!this.#released) this.#refresh();
		});
	}

	#refresh(): void {
		const sync = this.#handle?.sync;
		const me = this.#ctx.session.me.id;
		if (!sync) this.#refreshWaiting(me);
		else this.#refreshDoc(sync, me);
		this.#publish();
	}

	/** Emits a new snapshot when anything shown changed. */
	#publish(): void {
		const next = this.#take();
		const prev = this.#snapshot;
		if (
			(Object.keys(next) as (keyof ConversationSnapshot)[]).every(
				(k) => next[k] === prev[k] || (k === 'presence' && samePresence(next.presence, prev.presence))
			)
		)
			return;
		this.#snapshot = next;
		this.emit('snapshot', [next]);
	}

	#take(): ConversationSnapshot {
		const peer = this.#ctx.entry()?.peerId;
		return {
			messages: this.#messages,
			hasOlder: this.#hasOlder,
			status: this.#status,
			pendingCount: this.#pendingCount,
			typing: this.#typing,
			removed: this.#removed,
			firstUnreadId: this.#firstUnreadId,
			title: this.#meta.title,
			kind: this.#meta.kind,
			role: this.#meta.role,
			presence: peer ? (this.#ctx.presence(peer) ?? { online: false }) : null,
			pins: this.#pins,
			members: this.#members
		};
	}

	#refreshDoc(sync: ConversationSync, me: string): void {
		const win = messageWindow({
			doc: sync.doc,
			me,
			size: this.#window,
			pending: sync.pending,
			queued: sync.queued,
			states: this.#states,
			name: this.#ctx.name
		});
		this.#messages = this.#withPendingMedia(win.messages, me);
		this.#hasOlder = win.hasOlder;
		this.#status = sync.ended ? 'offline' : (sync.status as SyncStatus);
		this.#pendingCount = sync.pending.length;
		// the "new messages" divider stays where it was when the conversation opened (until I send)
		if (!this.#unreadFrozen) {
			this.#firstUnreadId = firstUnread(sync.doc, me);
			if (sync.status === 'up-to-date') this.#unreadFrozen = true;
		}
		const meta = sync.doc.getMap<unknown>('meta');
		if (!this.#ctx.entry()) {
			const kind = meta.get('kind');
			this.#meta = {
				title: typeof meta.get('title') === 'string' ? (meta.get('title') as string) : this.#meta.title,
				kind: kind === 'direct' || kind === 'group' || kind === 'channel' ? kind : this.#meta.kind,
				role: this.#meta.role
			};
		}
		// the kind (from the inbox or the document) or the connection may come after the open: ask then
		if (this.#members.length === 0) this.#loadMembers();
		this.#typing = this.#typingNames(sync.provider.awareness, me);
		// a typing flag goes stale without any event (the sender's tab died): look again then
		clearTimeout(this.#typingTimer);
		if (this.#typing.length > 0) this.#typingTimer = setTimeout(() => this.#schedule(), CONVERSATION_LIMITS.typingTtlMs);
		if (this.#pinsDirty) {
			this.#pinsDirty = false;
			this.#pins = pinList(sync.doc, this.#ctx.name);
		}
	}

	/** Before the document opened: my sends so far (persisted by the session), pending, and media waiting for uploads. */
	#refreshWaiting(me: string): void {
		const waiting = this.#ctx.session.waiting(this.id);
		const win = messageWindow({
			doc: (this.#blank ??= new Y.Doc()),
			me,
			size: this.#window,
			pending: waiting,
			queued: waiting,
			states: this.#states,
			name: this.#ctx.name
		});
		this.#messages = this.#withPendingMedia(win.messages, me);
		this.#pendingCount = waiting.length;
	}

	/** Writes `op` through the outbox (shown at once, delivered when online); false when it was refused locally. */
	#write(op: WriteOp): boolean {
		const handle = this.#handle;
		if (!handle || this.#removed) return false;
		try {
			handle.sync.write(op);
		} catch (error) {
			// the shared write helpers refuse what the relay would refuse (SyncWriteError): nothing was written
			if (error instanceof SyncWriteError) return false;
			throw error;
		}
		this.#schedule();
		return true;
	}

	/** Names of a group's members, for authors, reactions and "Read by" (best effort: cached people work offline). */
	#loadMembers(): void {
		if (this.#membersAsked || this.#meta.kind === 'direct' || !this.#ctx.session.online) return;
		this.#membersAsked = true;
		void this.#ctx.session.api
			.members(this.id, CONVERSATION_LIMITS.memberNamesPage)
			.then((members) => {
				this.#ctx.session.rememberPeople(members.map((member) => member.user));
				this.#members = members.map((member) => ({ id: member.user.id, username: member.user.username }));
				this.#pinsDirty = true;
				this.#schedule();
			})
			.catch(() => (this.#membersAsked = false));
	}

	/** Appends media messages still waiting for uploads (once published, the document has them). */
	#withPendingMedia(messages: MessageView[], me: string): MessageView[] {
		const waiting = this.#ctx.media?.pending(this.id) ?? [];
		const inDoc = new Set(messages.map((message) => message.id));
		const views = pendingMediaViews(
			waiting.filter((p) => !inDoc.has(p.record.id)),
			me,
			this.#ctx.name(me),
			this.#previews
		);
		this.#previews.keep(new Set(views.flatMap((v) => v.attachments?.map((a) => a.id) ?? [])));
		return views.length ? [...messages, ...views] : messages;
	}

	#typingNames(awareness: Awareness, me: string): string[] {
		const now = Date.now();
		const names: string[] = [];
		for (const [clientId, state] of awareness.getStates()) {
			if (clientId === awareness.clientID) continue;
			const user = (state as { user?: { id?: unknown } }).user;
			const at = (state as { typing?: unknown }).typing;
			if (typeof user?.id !== 'string' || user.id === me || typeof at !== 'number') continue;
			if (now - at < CONVERSATION_LIMITS.typingTtlMs) names.push(this.#ctx.name(user.id));
		}
		return [...new Set(names)];
	}
}

function samePresence(a: ConversationSnapshot['presence'], b: ConversationSnapshot['presence']): boolean {
	return a === b || (a !== null && b !== null && a.online === b.online && a.lastSeenAt === b.lastSeenAt);
}
