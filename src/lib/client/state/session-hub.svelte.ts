/**
 * One per signed-in session, given to pages through context (`setHub`/`getHub`): the inbox,
 * drafts, connectivity, conversations opened ref-counted, cached people, and a clean sign-out.
 * A thin runes layer over `Session` (src/lib/client/sync/session.ts), which holds the logic.
 */
import { createApi, createHttp, createStickerApi } from '../api/index.js';
import { IndexedDbDeviceStorage } from '../storage/indexeddb.js';
import { checkQuota, clearPwaCaches, isQuotaExceeded, wipeWorkerMedia } from '../pwa/index.js';
import type { PwaNotices } from '../pwa/notices.svelte.js';
import type { DeviceStorage } from '../storage/types.js';
import { Session } from '../sync/session.js';
import { FrequentEmoji } from '../emoji/frequent.js';
import { resolveUser } from '../sync/boot.js';
import type { Presence } from '../sync/views.js';
import { InboxViewModel } from '../view-models/inbox.js';
import type { MediaOutbox } from '../uploads/media-outbox.js';
import { createMediaOutbox } from '../uploads/publish.js';
import { ConnectivityState } from './connectivity.svelte.js';
import { ConversationState } from './conversation.svelte.js';
import { DraftsState } from './drafts.svelte.js';
import { InboxState } from './inbox.svelte.js';
import { StickerState } from './stickers.svelte.js';
import type { Me, Person } from './types.js';
import { toPerson } from '../../shared/people.js';
import { ContactsState } from './contacts.svelte.js';
import { ProfileCardState } from './profile-card.svelte.js';
import { ConversationInfoState } from './conversation-info.svelte.js';
import type { ApiInvitePreview, ApiMessageHit, ApiSearchParams, NewConversation } from '../api/index.js';
import { markOpen, OPEN_MARKS } from '../perf-marks.js';
import { LazySearchIndex } from '../search/lazy.js';

export interface SessionHubOptions {
	me: Me;
	/** e.g. `https://chat.example` (the relay is at `<origin>/sync`) */
	origin: string;
	fetch?: typeof fetch;
	/** this browser's (`browserStorage()`, made once per tab by the layout that owns the hub) or a test's */
	storage: DeviceStorage;
	/** the page's device-wide notices (root layout's context): told when storage is full */
	notices?: Pick<PwaNotices, 'reportStorageFull'>;
}

/** What `boot` found. */
export type BootResult = { hub: SessionHub } | { signedOut: true };

/** The browser's storage, whose wipe also empties the Cache Storage a user's pages may have filled. */
export class BrowserStorage implements DeviceStorage {
	readonly #idb = new IndexedDbDeviceStorage();
	user(userId: string) {
		return this.#idb.user(userId);
	}
	lastUser<T>(): Promise<T | undefined> {
		return this.#idb.lastUser<T>();
	}
	setLastUser(value: unknown): Promise<void> {
		return this.#idb.setLastUser(value);
	}
	async wipe(userId: string): Promise<void> {
		await this.#idb.wipe(userId);
		// The worker's queued media writes first (they would re-create the cache), then every cache.
		await wipeWorkerMedia().catch(() => false);
		await clearPwaCaches().catch(() => []);
	}
	onWiped(listener: (userId: string) => void): () => void {
		return this.#idb.onWiped(listener);
	}
}

/** This browser's storage: made once per tab by the layout that owns the session (it holds the BroadcastChannel that hears other tabs' wipes). */
export function browserStorage(): DeviceStorage {
	return new BrowserStorage();
}

export class SessionHub {
	readonly connectivity = new ConnectivityState();
	readonly inbox = new InboxState();
	/** the profile card open now (a name or avatar was clicked) */
	readonly card = new ProfileCardState();
	readonly drafts: DraftsState;
	/** Sticker packs: the picker, stickers in messages, pack previews. */
	readonly stickers: StickerState;
	/** The on-device message index (null where there is no Worker: tests in Node). */
	readonly searchIndex: LazySearchIndex | null;
	/** This user's frequently used emoji (in their journal: the sign-out wipe removes them). */
	readonly emoji: FrequentEmoji;
	#ended = $state<null | 'signed-out'>(null);
	#storageError = $state<null | 'quota' | 'failed'>(null);
	#peopleVersion = $state(0);
	readonly #session: Session;
	#conversations = new Map<string, { state: ConversationState; refs: number }>();
	#cleanups: (() => void)[] = [];
	/** the chat list without Svelte: inbox entries, presence, what I just left (one snapshot event) */
	readonly #inboxView: InboxViewModel;
	#contacts: ContactsState | null = null;
	/** messages with files waiting for their uploads (resumed from IndexedDB) */
	readonly #media: MediaOutbox;

	readonly #notices: Pick<PwaNotices, 'reportStorageFull'> | undefined;

	private constructor(
		session: Session,
		stickers: StickerState,
		notices: Pick<PwaNotices, 'reportStorageFull'> | undefined,
		searchIndex: LazySearchIndex | null
	) {
		this.#session = session;
		this.stickers = stickers;
		this.#notices = notices;
		this.searchIndex = searchIndex;
		this.emoji = new FrequentEmoji(session.user.journal);
		this.drafts = new DraftsState(session.drafts);
		this.#media = createMediaOutbox(session, (error) => this.#storageFailed(error));
		this.#cleanups.push(() => this.#media.destroy());
		const update = () => this.#update();
		session.on('change', update);
		this.#inboxView = new InboxViewModel(
			{ doc: session.inbox.doc, awareness: session.inbox.provider.awareness },
			(id) => void session.forget(id).catch((error: unknown) => this.#storageFailed(error))
		);
		this.#inboxView.on('snapshot', () => this.#inboxChanged());
		this.#cleanups.push(() => this.#inboxView.destroy());
		session.on('ended', () => {
			this.#ended = 'signed-out';
			this.connectivity.update({ signedOut: true, status: 'offline' });
		});
		session.on('removed', (conversationId, reason) => {
			this.#conversations.get(conversationId)?.state.ended(reason);
			// the session drops the local copy itself (Session.forget)
			this.#drop(conversationId, false);
		});
		if (typeof window !== 'undefined') {
			const online = () => (session.setOnline(true), this.#media.setOnline(true));
			const offline = () => session.setOnline(false);
			// the last keystrokes of a draft and the journal tail must be written before the tab goes
			const hide = () => void session.flush().catch(() => {});
			window.addEventListener('online', online);
			window.addEventListener('offline', offline);
			window.addEventListener('pagehide', hide);
			this.#cleanups.push(() => {
				window.removeEventListener('online', online);
				window.removeEventListener('offline', offline);
				window.removeEventListener('pagehide', hide);
			});
		}
		this.#inboxChanged();
		this.#update();
	}

	/** Loads the user's documents from IndexedDB first, then connects (when the browser is online). */
	static async open(options: SessionHubOptions): Promise<SessionHub> {
		const api = createApi(createHttp({ origin: options.origin, fetch: options.fetch }));
		let hub: SessionHub | null = null;
		// the indexer and the worker (MiniSearch, stemmers) are chunks of their own, loaded once the first document is
		const userId = options.me.id;
		const searchIndex =
			typeof Worker === 'undefined'
				? null
				: new LazySearchIndex(async () => {
						const { SearchIndexer } = await import('../search/indexer.js');
						return new SearchIndexer({ userId, connect: async () => (await import('../search/client.js')).createSearchClient() });
					});
		const session = await Session.open({
			searchIndex: searchIndex ?? undefined,
			me: options.me,
			origin: options.origin,
			api,
			storage: options.storage,
			online: typeof navigator === 'undefined' ? true : navigator.onLine,
			onStorageError: (error) => {
				if (hub) hub.#storageFailed(error);
			}
		});
		const stickerApi = createStickerApi({ origin: options.origin, fetch: options.fetch });
		hub = new SessionHub(session, new StickerState({ api: stickerApi, kv: session.user.kv }), options.notices, searchIndex);
		return hub;
	}

	/** The last signed-in user, from IndexedDB (to boot offline); null when none. */
	static async cachedMe(options: { storage: DeviceStorage }): Promise<Me | null> {
		return ((await options.storage.lastUser<Me>()) ?? null) as Me | null;
	}

	/**
	 * Boots the app: the cached user, checked against `GET /api/me` when the server answers. A 401
	 * wipes the cached user's data (signed out elsewhere); another user than the cached one (someone
	 * signed in through the form without signing out) wipes the cached user's data first. Offline,
	 * the cached user opens as is. `signedOut`: go to the sign-in page.
	 */
	static async boot(options: Omit<SessionHubOptions, 'me'>): Promise<BootResult> {
		const storage = options.storage;
		const api = createApi(createHttp({ origin: options.origin, fetch: options.fetch }));
		const found = await resolveUser(storage, api);
		if ('signedOut' in found) return { signedOut: true };
		markOpen(OPEN_MARKS.userResolved);
		const me = found.me;
		const hub = await SessionHub.open({ ...options, me });
		markOpen(OPEN_MARKS.sessionReady);
		return { hub };
	}

	/** Signs out from a page without a hub (e.g. settings): server logout when reachable, then the cached user's data is wiped. */
	static async signOutDevice(options: { origin: string; fetch?: typeof fetch; storage: DeviceStorage }): Promise<void> {
		const storage = options.storage;
		const api = createApi(createHttp({ origin: options.origin, fetch: options.fetch }));
		await api.logout().catch(() => {});
		const cached = await SessionHub.cachedMe({ storage });
		if (cached) await storage.wipe(cached.id);
	}

	/** Wipes the cached user's data without signing out on the server (another user signs in on this browser). */
	static async wipeCached(options: { storage: DeviceStorage }): Promise<void> {
		const storage = options.storage;
		const cached = await SessionHub.cachedMe({ storage });
		if (cached) await storage.wipe(cached.id);
	}

	/**
	 * Set when the device refused to store something (`quota`: storage is full). Writes stay in
	 * memory and are still sent; nothing already stored is lost. Show a clear message.
	 */
	get storageError(): null | 'quota' | 'failed' {
		return this.#storageError;
	}

	get me(): Me {
		return this.#session.me;
	}

	/** `'signed-out'` once the session ended (4401, or a wipe in another tab) and the data is wiped: go to /login. */
	get ended(): null | 'signed-out' {
		return this.#ended;
	}

	/** A conversation, ref-counted: call `.release()` when the view closes. */
	conversation(id: string): ConversationState {
		const known = this.#conversations.get(id);
		if (known) {
			known.refs++;
			return known.state;
		}
		const entry = { refs: 1, state: null as unknown as ConversationState };
		entry.state = new ConversationState(id, {
			session: this.#session,
			name: (userId) => this.users.name(userId),
			entry: () => this.inbox.item(id),
			presence: (userId) => this.#inboxView.snapshot.presence.get(userId),
			media: this.#media,
			release: () => {
				if (--entry.refs > 0) return;
				this.#conversations.delete(id);
				entry.state.dispose();
			}
		});
		this.#conversations.set(id, entry);
		return entry.state;
	}

	/** Cached profiles of people seen (names work offline). */
	readonly users = {
		name: (userId: string): string => {
			void this.#peopleVersion;
			if (userId === this.me.id) return this.me.displayName;
			const person = this.#session.person(userId);
			if (person) return person.displayName;
			const direct = this.inbox.items.find((i) => i.peerId === userId);
			return direct?.title ?? userId;
		},
		avatarUrl: (userId: string): string | undefined => {
			void this.#peopleVersion;
			if (userId === this.me.id) return this.me.avatarUrl ?? undefined;
			return this.#session.person(userId)?.avatarUrl ?? this.inbox.items.find((i) => i.peerId === userId)?.avatarUrl;
		}
	};

	/** `GET /api/search`: messages of my conversations (throws ApiError; `unreachable` offline). */
	searchMessages(params: ApiSearchParams): Promise<{ messages: ApiMessageHit[]; nextCursor: string | null }> {
		return this.#session.api.searchMessages(params);
	}

	/** `GET /api/users?q=`; the people found are cached. */
	async searchPeople(q: string): Promise<Person[]> {
		const users = await this.#session.api.searchUsers(q);
		this.#session.rememberPeople(users);
		return users.map(toPerson);
	}

	/** Opens or creates the direct conversation with `userId`; its id. */
	async openDirect(userId: string): Promise<string> {
		const conversation = await this.#session.api.openDirect(userId);
		if (conversation.other) this.#session.rememberPeople([conversation.other]);
		return conversation.id;
	}

	/** My contacts and blocked people (cached on the device; load() asks the server). */
	get contacts(): ContactsState {
		return (this.#contacts ??= new ContactsState({
			api: this.#session.api,
			kv: this.#session.user.kv,
			remember: (people) => this.#session.rememberPeople(people)
		}));
	}

	/** The info panel's state for one conversation (call `load()`). */
	conversationInfo(id: string): ConversationInfoState {
		return new ConversationInfoState(id, {
			api: this.#session.api,
			me: this.me.id,
			remember: (people) => this.#session.rememberPeople(people),
			left: (conversationId) => this.#drop(conversationId)
		});
	}

	/** A person's presence, as their privacy and blocks allow (from the inbox's awareness). */
	presenceOf(userId: string): Presence | undefined {
		void this.#peopleVersion;
		return this.#inboxView.snapshot.presence.get(userId);
	}

	/** A person's profile: cached, else asked (and cached). */
	async person(userId: string): Promise<Person> {
		const known = userId === this.me.id ? { ...this.me, avatarUrl: this.me.avatarUrl ?? undefined } : this.#session.person(userId);
		if (known) return known;
		const user = await this.#session.api.user(userId);
		this.#session.rememberPeople([user]);
		return this.#session.person(userId) ?? user;
	}

	/**
	 * Creates a group or channel, then sets its picture when given; its id, and the picture's
	 * failure if any (the conversation exists anyway: the picture can be set again in its info panel).
	 */
	async createConversation(body: NewConversation, picture?: Blob): Promise<{ id: string; pictureError?: unknown }> {
		const conversation = await this.#session.api.createConversation(body);
		if (!picture) return { id: conversation.id };
		try {
			await this.#session.api.setPicture(conversation.id, picture);
			return { id: conversation.id };
		} catch (pictureError) {
			return { id: conversation.id, pictureError };
		}
	}

	/** What an invite link leads to. */
	invitePreview(token: string): Promise<ApiInvitePreview> {
		return this.#session.api.invitePreview(token);
	}

	/** Joins by an invite link; the conversation's id. */
	async joinInvite(token: string): Promise<string> {
		const conversation = await this.#session.api.acceptInvite(token);
		this.#inboxView.rejoined(conversation.id);
		return conversation.id;
	}

	/** I am no longer in it (removed, left, deleted): out of the list, and its copy off this device. */
	#drop(conversationId: string, forget = true): void {
		this.#inboxView.drop(conversationId);
		if (forget) void this.#session.forget(conversationId).catch((error: unknown) => this.#storageFailed(error));
	}

	/** Server logout, then wipes this user's IndexedDB databases, caches and drafts; closes sockets. */
	async signOut(): Promise<void> {
		this.#teardown();
		await this.#session.signOut();
		this.#ended = 'signed-out';
		this.connectivity.update({ signedOut: true, status: 'offline' });
	}

	/** Closes everything (nothing is deleted). */
	destroy(): void {
		this.#teardown();
		void this.#session.destroy();
	}

	#storageFailed(error: unknown): void {
		const full = isQuotaExceeded(error);
		this.#storageError = full ? 'quota' : 'failed';
		// the app-wide "storage is full" message (src/lib/client/pwa)
		if (full) void checkQuota(0).then(({ usage, quota }) => this.#notices?.reportStorageFull({ usage, quota }));
	}

	#teardown(): void {
		for (const cleanup of this.#cleanups.splice(0)) cleanup();
	}

	/** The inbox view model's new snapshot: the list, and the open conversations' titles and presence. */
	#inboxChanged(): void {
		this.inbox.update({ items: this.#inboxView.snapshot.items });
		for (const { state } of this.#conversations.values()) state.inboxChanged();
		this.#peopleVersion++;
	}

	#update(): void {
		const s = this.#session;
		this.inbox.update({ status: s.online ? s.inbox.status : 'offline' });
		this.connectivity.update({
			status: s.status,
			online: s.online,
			pendingCount: s.pendingCount,
			signedOut: s.isEnded && this.#ended !== null
		});
		this.#peopleVersion++;
	}
}
