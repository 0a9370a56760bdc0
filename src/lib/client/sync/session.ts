/**
 * A signed-in session's documents, without Svelte: the inbox and drafts documents, conversations
 * opened ref-counted, each loaded from local storage before it connects, the background pool,
 * and the clean end (sign-out wipes the user's storage). The runes classes of `../state` wrap it;
 * Node tests drive it directly with a memory storage and stock sockets.
 */
import * as Y from 'yjs';
import { ObservableV2 } from 'lib0/observable';
import { conversationDocName, draftsDocName, inboxDocName } from '../../sync/doc-names.js';
import { ApiError, type Api, type ApiUser } from '../api/index.js';
import type { DeviceStorage, LocalDoc, UserStorage } from '../storage/types.js';
import { StoreJournal } from '../storage/journal.js';
import type { Me, Person } from '../state/types.js';
import { AccessEndedError, type EndReason } from './access.js';
import { ConversationSync, type DocStatus } from './conversation-sync.js';
import { createKeyMaker, type OutboxRecord } from './outbox.js';
import type { WriteOp } from './write-ops.js';
import { samePerson, toPerson } from '../../shared/people.js';
import { DocLink } from './doc-link.js';
import { Drafts } from './drafts.js';
import type { ReconnectLimits } from './reconnect-policy.js';
import { BackgroundPool, POOL_LIMITS } from './background-pool.js';
import type { DocIndexer } from '../search/indexer.js';
import type { Envelope } from '../../sync/schema.js';

export interface SessionOptions {
	me: Me;
	/** e.g. `https://chat.example`; the relay is at `<origin>/sync` */
	origin: string;
	api: Api;
	storage: DeviceStorage;
	WebSocketPolyfill?: unknown;
	reconnectLimits?: ReconnectLimits;
	random?: () => number;
	/** whether to connect at once (the browser's `navigator.onLine`) */
	online?: boolean;
	/** conversations the background pool keeps cached; 0 turns the pool off */
	poolRecent?: number;
	/** told about failures that lose nothing but should be shown (e.g. storage quota) */
	onStorageError?: (error: unknown) => void;
	/** the on-device search index, told of each conversation document loaded, changed, forgotten (issue 20) */
	searchIndex?: DocIndexer;
}

/** An open conversation: hold it while a view shows it, `release()` when the view closes. */
export interface ConversationHandle {
	readonly conversationId: string;
	readonly docName: string;
	readonly sync: ConversationSync;
	release(): void;
}

interface OpenConversation {
	sync: ConversationSync;
	local: LocalDoc;
	journal: StoreJournal;
	refs: number;
	/** local storage rebinding after a recovery, in order */
	rebinding: Promise<void>;
	/** stops feeding the search index */
	unindex: () => void;
}

/** Maps an API answer to "access is over" (401/403/404), leaving "unreachable" to be retried. */
function ended(error: unknown): never {
	if (error instanceof ApiError && !error.unreachable) {
		if (error.status === 401) throw new AccessEndedError('sign-out');
		if (error.status === 403 || error.status === 404) throw new AccessEndedError('removed');
	}
	throw error;
}

export class Session extends ObservableV2<{
	change: () => void;
	ended: (reason: 'signed-out') => void;
	removed: (conversationId: string, reason: EndReason) => void;
	/** Sends the relay stored (confirmed, or found in its copy on a replay): their envelope ids. */
	delivered: (conversationId: string, envelopeIds: string[]) => void;
	/**
	 * Sends a recovery gave up (no longer allowed, or after repeated refusals): their envelopes,
	 * so that what they held is kept where the person sees it and can retry (issue 21 item 14).
	 */
	undelivered: (conversationId: string, lost: { envelope: Envelope; reason: string }[]) => void;
}> {
	readonly me: Me;
	readonly api: Api;
	readonly user: UserStorage;
	readonly inbox: DocLink;
	readonly drafts: Drafts;
	readonly pool: BackgroundPool;
	#options: SessionOptions;
	#serverUrl: string;
	#open = new Map<string, Promise<OpenConversation>>();
	/** The same, once opened (for synchronous reads: pending counts, statuses). */
	#resolved = new Map<string, OpenConversation>();
	#people = new Map<string, Person>();
	#locals: LocalDoc[] = [];
	#readReceipts: boolean | null = null;
	#online: boolean;
	#ended = false;
	/** A session end (4401 or a 401) was heard: the wipe is under way. */
	#signingOut = false;
	#unsubscribeWipe: () => void;
	#links: DocLink[] = [];
	#shutdownDone: Promise<void> | null = null;
	/** Writes to conversations whose document has not opened yet: journaled at once, replayed when it opens. */
	#waiting = new Map<string, OutboxRecord[]>();
	/** One journal per document for the whole session, so that a put and the delete that follows stay in order. */
	#journals = new Map<string, StoreJournal>();
	/** Outbox keys of every document of this session (write order, including writes made before a document opened). */
	readonly #key = createKeyMaker();

	private constructor(options: SessionOptions, inboxDoc: Y.Doc, draftsDoc: Y.Doc) {
		super();
		this.#options = options;
		this.me = options.me;
		this.api = options.api;
		this.user = options.storage.user(options.me.id);
		this.#online = options.online !== false;
		this.#serverUrl = options.origin.replace(/^http/, 'ws') + '/sync';
		const link = (docName: string, doc: Y.Doc) =>
			new DocLink({
				serverUrl: this.#serverUrl,
				docName,
				doc,
				check: () => this.api.me().catch(ended),
				WebSocketPolyfill: options.WebSocketPolyfill,
				reconnectLimits: options.reconnectLimits,
				random: options.random
			});
		this.inbox = link(options.me.inboxDocName ?? inboxDocName(options.me.id), inboxDoc);
		this.drafts = new Drafts(draftsDoc, this.user);
		const draftsLink = link(draftsDocName(options.me.id), draftsDoc);
		this.#links.push(this.inbox, draftsLink);
		for (const l of this.#links) {
			l.on('change', () => this.emit('change', []));
			l.on('ended', (reason) => this.#docEnded(reason));
		}
		this.pool = new BackgroundPool({
			recent: options.poolRecent ?? POOL_LIMITS.recent,
			concurrent: POOL_LIMITS.concurrent,
			open: (conversationId) => this.acquire(conversationId)
		});
		this.#unsubscribeWipe = options.storage.onWiped((userId) => {
			if (userId === this.me.id) this.#end();
		});
	}

	/** Loads the inbox and drafts from local storage, then connects (when online). */
	static async open(options: SessionOptions): Promise<Session> {
		const [inboxDoc, draftsDoc] = [new Y.Doc(), new Y.Doc()];
		const session = new Session(options, inboxDoc, draftsDoc);
		await options.storage.setLastUser(options.me);
		const inboxName = options.me.inboxDocName ?? inboxDocName(options.me.id);
		const locals = [session.user.bindDoc(inboxName, inboxDoc), session.user.bindDoc(draftsDocName(options.me.id), draftsDoc)];
		session.#locals.push(...locals);
		await Promise.all(locals.map((l) => l.loaded));
		await session.drafts.restore();
		session.#people = new Map((await session.user.kv.get<Person[]>('people'))?.map((p) => [p.id, p]) ?? []);
		session.#readReceipts = (await session.user.kv.get<boolean>('readReceipts')) ?? null;
		if (session.#online) session.#connectAll();
		// writes left by a previous session go out even if their conversation is never opened
		void session.user.outbox
			.docNames()
			.then((names) => session.pool.flush(names.map((n) => n.replace(/^conv\./, ''))))
			.catch((error: unknown) => options.onStorageError?.(error));
		return session;
	}

	/** App status: the worst of the documents that matter (inbox, open conversations). */
	get status(): DocStatus {
		if (!this.#online) return 'offline';
		const status = this.inbox.status;
		return status === 'up-to-date' && this.pendingCount > 0 ? 'syncing' : status;
	}

	get online(): boolean {
		return this.#online;
	}

	get isEnded(): boolean {
		return this.#ended;
	}

	/** Writes of every conversation not yet confirmed (open, or waiting for their document). */
	get pendingCount(): number {
		let n = 0;
		for (const open of this.#resolved.values()) n += open.sync.pending.length;
		for (const records of this.#waiting.values()) n += records.length;
		return n;
	}

	/**
	 * Writes `op` to a conversation, open or not. Open: through its outbox (throws SyncWriteError
	 * for what the relay would refuse; false when it changed nothing). Not open yet (its document
	 * is still loading, or was never opened): persisted in the outbox store at once, shown by
	 * `waiting`, and replayed like a previous session's writes once the document has loaded and
	 * synced; the conversation is opened in the background so that it is delivered even if no
	 * view holds it.
	 */
	write(conversationId: string, op: WriteOp): boolean {
		if (this.#ended) return false;
		const open = this.#resolved.get(conversationId);
		if (open) return open.sync.write(op);
		const record = { key: this.#key(), op };
		const waiting = this.#waiting.get(conversationId) ?? [];
		waiting.push(record);
		this.#waiting.set(conversationId, waiting);
		this.#journal(conversationDocName(conversationId)).put([record]);
		this.pool.flush([conversationId]);
		this.emit('change', []);
		return true;
	}

	/** Writes made to `conversationId` before its document opened (shown as pending), oldest first. */
	waiting(conversationId: string): readonly WriteOp[] {
		return this.#waiting.get(conversationId)?.map((r) => r.op) ?? [];
	}

	/** Conversations open now (each holds one socket when online). */
	get openCount(): number {
		return this.#open.size;
	}

	/** Whether read positions may go into shared documents (R24); null until known. */
	get readReceipts(): boolean | null {
		return this.#readReceipts;
	}

	/** Asks the API once the session is online (privacy, profile); offline, the cached answers stay. */
	async refresh(): Promise<void> {
		try {
			const privacy = await this.api.privacy();
			this.#readReceipts = privacy.readReceipts;
			await this.user.kv.set('readReceipts', privacy.readReceipts);
		} catch (error) {
			if (error instanceof ApiError && error.status === 401) this.#docEnded('sign-out');
		}
	}

	/** A cached person (from searches, conversations, messages). */
	person(userId: string): Person | undefined {
		return this.#people.get(userId);
	}

	/** Remembers people seen (kept across reloads for offline names). */
	rememberPeople(people: readonly ApiUser[]): void {
		let changed = false;
		for (const p of people) {
			const known = this.#people.get(p.id);
			const person = toPerson(p);
			if (known && samePerson(known, person)) continue;
			this.#people.set(p.id, person);
			changed = true;
		}
		if (changed) {
			void this.user.kv.set('people', [...this.#people.values()]).catch((e: unknown) => this.#options.onStorageError?.(e));
			this.emit('change', []);
		}
	}

	/** Opens a conversation (loaded from local storage first, connected when online); ref-counted. */
	async acquire(conversationId: string): Promise<ConversationHandle> {
		if (this.#ended) throw new Error('session ended');
		let entry = this.#open.get(conversationId);
		if (!entry) {
			entry = this.#openConversation(conversationId);
			this.#open.set(conversationId, entry);
			// a failed open (storage refused) is not cached: the next view tries again
			entry.catch(() => this.#open.get(conversationId) === entry && this.#open.delete(conversationId));
		}
		const open = await entry;
		open.refs++;
		let released = false;
		return {
			conversationId,
			docName: conversationDocName(conversationId),
			sync: open.sync,
			release: () => {
				if (released) return;
				released = true;
				if (--open.refs === 0) void this.#close(conversationId, open);
			}
		};
	}

	async #openConversation(conversationId: string): Promise<OpenConversation> {
		const docName = conversationDocName(conversationId);
		const doc = new Y.Doc();
		const local = this.user.bindDoc(docName, doc);
		await local.loaded;
		const journal = this.#journal(docName);
		// writes made before the document opened are read back with the previous session's
		await journal.flushed().catch(() => {});
		const stored = await this.user.outbox.load(docName);
		// from here to the ConversationSync, synchronous: a write now either waited or goes to the outbox
		const keys = new Set(stored.map((r) => r.key));
		const waiting = (this.#waiting.get(conversationId) ?? []).filter((r) => !keys.has(r.key));
		this.#waiting.delete(conversationId);
		const restored = [...stored, ...waiting].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
		const sync = new ConversationSync({
			serverUrl: this.#serverUrl,
			docName,
			userId: this.me.id,
			access: async () => {
				const c = await this.api.conversation(conversationId).catch(ended);
				if (c.other) this.rememberPeople([c.other]);
				return { role: c.role, kind: c.kind };
			},
			WebSocketPolyfill: this.#options.WebSocketPolyfill,
			doc,
			journal,
			restored,
			key: this.#key,
			connect: false,
			reconnectLimits: this.#options.reconnectLimits,
			random: this.#options.random
		});
		const index = this.#options.searchIndex;
		const open: OpenConversation = {
			sync,
			local,
			journal,
			refs: 0,
			rebinding: Promise.resolve(),
			unindex: index?.attach(conversationId, doc) ?? (() => {})
		};
		sync.on('doc', (fresh) => {
			open.unindex();
			open.unindex = index?.attach(conversationId, fresh) ?? (() => {});
			// the old copy holds structs the relay refused: it must not be loaded again
			open.rebinding = open.rebinding.then(async () => {
				await open.local.destroy();
				await this.user.clearDoc(docName);
				open.local = this.user.bindDoc(docName, fresh);
				await open.local.loaded;
			});
		});
		sync.on('change', () => this.emit('change', []));
		const sentIds = (ops: WriteOp[]) => ops.flatMap((op) => (op.kind === 'send' ? [op.envelope.id] : []));
		sync.on('confirmed', (ops) => {
			const ids = sentIds(ops);
			if (ids.length > 0) this.emit('delivered', [conversationId, ids]);
		});
		sync.on('recovered', (report) => {
			const already = sentIds(report.already);
			if (already.length > 0) this.emit('delivered', [conversationId, already]);
			const lost = report.dropped.flatMap((d) =>
				d.op.kind === 'send' ? [{ envelope: d.op.envelope, reason: `${d.rule}: ${d.reason}` }] : []
			);
			if (lost.length > 0) this.emit('undelivered', [conversationId, lost]);
		});
		sync.on('ended', (reason) => {
			if (reason === 'sign-out') this.#docEnded(reason);
			else {
				this.emit('removed', [conversationId, reason]);
				void this.forget(conversationId).catch((error: unknown) => this.#options.onStorageError?.(error));
			}
		});
		if (this.#online) sync.connect();
		this.#resolved.set(conversationId, open);
		return open;
	}

	#journal(docName: string): StoreJournal {
		let journal = this.#journals.get(docName);
		if (!journal) {
			journal = new StoreJournal(this.user.outbox, docName, (e) => this.#options.onStorageError?.(e));
			this.#journals.set(docName, journal);
		}
		return journal;
	}

	async #close(conversationId: string, open: OpenConversation): Promise<void> {
		if (open.refs > 0) return;
		this.#open.delete(conversationId);
		this.#resolved.delete(conversationId);
		// the socket goes at once (the pool's limit counts it); what the journal holds stays stored
		open.sync.destroy();
		open.unindex();
		await open.journal.flushed().catch(() => {});
		await open.rebinding;
		await open.local.destroy();
	}

	/**
	 * Drops this device's copy of a conversation I no longer belong to (removed, left, deleted):
	 * its stored document and pending writes. An open view keeps what it shows in memory until it
	 * closes; nothing of it is loaded again.
	 */
	async forget(conversationId: string): Promise<void> {
		const docName = conversationDocName(conversationId);
		this.#waiting.delete(conversationId);
		await this.#journals
			.get(docName)
			?.flushed()
			.catch(() => {});
		const open = this.#resolved.get(conversationId);
		open?.unindex();
		this.#options.searchIndex?.forget(conversationId);
		if (open) {
			await open.journal.flushed().catch(() => {});
			await open.rebinding;
			await open.local.destroy();
		}
		const records = await this.user.outbox.load(docName);
		if (records.length > 0)
			await this.user.outbox.delete(
				docName,
				records.map((r) => r.key)
			);
		await this.user.clearDoc(docName);
	}

	/** The browser went online or offline: connect or disconnect every document. */
	setOnline(online: boolean): void {
		if (online === this.#online || this.#ended) return;
		this.#online = online;
		if (online) this.#connectAll();
		else {
			for (const l of this.#links) l.disconnect();
			for (const entry of this.#open.values()) void entry.then((o) => o.sync.disconnect());
		}
		this.emit('change', []);
	}

	#connectAll(): void {
		for (const l of this.#links) l.connect();
		for (const entry of this.#open.values()) void entry.then((o) => o.sync.connect());
		void this.refresh();
		void this.inbox.whenSynced().then(() => this.pool.fill(this.#recentConversations()));
	}

	#recentConversations(): string[] {
		const entries = [...this.inbox.doc.getMap<{ activityAt?: number; conversationId: string }>('conversations').values()];
		return entries.sort((a, b) => (b.activityAt ?? 0) - (a.activityAt ?? 0)).map((e) => e.conversationId);
	}

	/** Waits until every pending write of every open conversation is journaled (tests, page hide). */
	async flush(): Promise<void> {
		await this.drafts.flush();
		for (const journal of this.#journals.values()) await journal.flushed();
	}

	/** Signs out: the server session ends (if reachable), then everything of this user on this device is wiped. */
	async signOut(): Promise<void> {
		await this.api.logout().catch(() => {});
		await this.wipe();
	}

	/** Closes everything and deletes this user's local data (other tabs are told first). */
	async wipe(): Promise<void> {
		await this.#shutdown();
		await this.#options.storage.wipe(this.me.id);
	}

	#docEnded(reason: EndReason): void {
		if (reason !== 'sign-out' || this.#ended || this.#signingOut) return;
		this.#signingOut = true;
		// the session is over on the server: nothing of this user may stay on the device
		void this.wipe().finally(() => this.#end());
	}

	#end(): void {
		if (this.#ended) return;
		this.#ended = true;
		void this.#shutdown();
		this.emit('ended', ['signed-out']);
	}

	/** Closes everything once (a sign-out and the wipe that follows both ask). */
	#shutdown(): Promise<void> {
		return (this.#shutdownDone ??= this.#closeAll());
	}

	async #closeAll(): Promise<void> {
		this.pool.destroy();
		this.#unsubscribeWipe();
		const opens = await Promise.allSettled([...this.#open.values()]);
		this.#open.clear();
		this.#resolved.clear();
		for (const o of opens) {
			if (o.status !== 'fulfilled') continue;
			// Whichever socket heard the 4401 first, every open conversation ends for the same reason:
			// a view still holding one says "signed out", not a silent stop.
			if (this.#signingOut) o.value.sync.end('sign-out');
			o.value.sync.destroy();
			o.value.unindex();
			await o.value.local.destroy();
		}
		// the index saves and closes its database before the sign-out wipe deletes it
		await this.#options.searchIndex?.close();
		for (const l of this.#links) l.destroy();
		this.drafts.destroy();
		await Promise.all(this.#locals.map((l) => l.destroy()));
		this.user.close();
	}

	/** Closes sockets and local handles; nothing is deleted. Resolves once what was written is stored (a reload may follow). */
	destroy(): Promise<void> {
		this.#ended = true;
		return this.flush()
			.catch(() => {})
			.then(() => this.#shutdown());
	}
}
