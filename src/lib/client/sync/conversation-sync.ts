/**
 * One conversation document kept in sync through a stock y-websocket provider, with an outbox
 * that survives the relay's refusals and, given a journal, reloads. A refused update wedges its
 * Yjs client id for good (its clocks now have a gap, docs/sync-rules.md), so on a
 * permission-denied this drops the provider and the document, syncs a fresh document (new client
 * id) from the relay, and replays the pending writes that the relay's rules still allow,
 * reporting the others as dropped. Writes restored from a journal (a previous session's outbox)
 * wait until the first sync, then are replayed the same way: one already stored by the relay
 * (a reload mid-send) is recognised by its envelope id and counts as delivered, never sent twice.
 * Reconnects follow `reconnect-policy.ts`. Browser and Node alike (pass `WebSocketPolyfill` in Node).
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ObservableV2 } from 'lib0/observable';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import type { DocKind, Role } from '../../sync/check-update.js';
import { Outbox, type DroppedWrite, type OutboxJournal, type OutboxRecord } from './outbox.js';
import type { WriteOp } from './write-ops.js';
import { MessageType } from '../../sync/protocol.js';
import { AccessEndedError, type AccessFn, type EndReason } from './access.js';
import { backoffDelay, type ReconnectLimits } from './reconnect-policy.js';
import { Reconnector } from './reconnector.js';
import { gateUntilHandshake, type HandshakeGate } from './handshake-gate.js';

/** y-websocket's message types (the provider's own numbering). */
const MESSAGE_SYNC = MessageType.Sync;
const MESSAGE_AUTH = MessageType.Auth;

/** What a recovery (or the replay of restored writes) did. */
export interface RecoveryReport {
	/** the refusal that started it (`R14: …`), or `restored` for a previous session's outbox */
	reason: string;
	/** the document's Yjs client id afterwards */
	clientId: number;
	resent: WriteOp[];
	dropped: DroppedWrite[];
	/** already stored (found in the relay's copy): not sent again, confirmed by the next receipt */
	already: WriteOp[];
}

/** A document's connection state. `up-to-date`: the relay answered and nothing of ours is pending. */
export type DocStatus = 'offline' | 'connecting' | 'syncing' | 'up-to-date';

/** Events of a ConversationSync. */
export type ConversationSyncEvents = {
	/** The relay refused an update of ours; a recovery follows. */
	refused: (reason: string) => void;
	/** A fresh document replaced the old one (views re-bind to it). */
	doc: (doc: Y.Doc) => void;
	/** The recovery finished: what was resent and what is no longer allowed. */
	recovered: (report: RecoveryReport) => void;
	/** Status or pending count changed (read the getters). */
	change: () => void;
	/** Writes were confirmed by the relay (their envelope ids, for sends). */
	confirmed: (ops: WriteOp[]) => void;
	/** The document can no longer be synced; the provider is stopped for good. */
	ended: (reason: EndReason) => void;
};

/** How to reach the relay and who we are there. */
export interface ConversationSyncOptions {
	/** The relay's base URL, e.g. `wss://chat.example/sync` (the document name is appended). */
	serverUrl: string;
	docName: string;
	userId: string;
	/** Our current role and the conversation's kind; asked again at each recovery (a role may have changed offline). */
	access: AccessFn;
	WebSocketPolyfill?: unknown;
	/** Kept for callers of the stock provider's option; reconnects follow `reconnectLimits`. */
	maxBackoffTime?: number;
	/** Recoveries in a row without any write confirmed before the outbox is given up (a relay that refuses everything). */
	maxRecoveries?: number;
	/** A document already loaded from local storage (else a new one). */
	doc?: Y.Doc;
	/** Where pending writes are persisted. */
	journal?: OutboxJournal;
	/** A previous session's pending writes (from the journal), replayed after the first sync. */
	restored?: readonly OutboxRecord[];
	/** Makes outbox record keys (the session's, so that writes queued before the document opened sort before later ones). */
	key?: () => string;
	/** Connect at once (default true); false: call `connect()` when local storage has loaded. */
	connect?: boolean;
	reconnectLimits?: ReconnectLimits;
	random?: () => number;
}

export class ConversationSync extends ObservableV2<ConversationSyncEvents> {
	readonly outbox: Outbox;
	#doc: Y.Doc;
	#provider: WebsocketProvider;
	/** Outbox positions of the sync step 1 frames in flight on this connection; the relay answers them in order. */
	#probes: (number | null)[] = [];
	#probeScheduled = false;
	/** Writes made while recovering (or restored, before the first sync), replayed with the outbox. */
	#queued: OutboxRecord[] = [];
	#recovering: Promise<void> | null = null;
	/** False from a refusal until the replay is done: writes then wait in `#queued`. */
	#ready = true;
	#refusedWhileRecovering: string | null = null;
	#recoveriesInARow = 0;
	#destroyed = false;
	readonly #reconnector: Reconnector;
	/** Connect when the provider is made (false until `connect()` when `options.connect` is false). */
	#connectAtOpen: boolean;
	#status: DocStatus = 'offline';
	#pendingCount = 0;
	/** Per provider: whether its socket finished the sync handshake (updates and probes wait for it). */
	#gates = new WeakMap<WebsocketProvider, HandshakeGate>();

	constructor(private readonly options: ConversationSyncOptions) {
		super();
		this.outbox = new Outbox({ journal: options.journal, key: options.key });
		this.#doc = options.doc ?? new Y.Doc();
		this.#connectAtOpen = options.connect !== false;
		this.#reconnector = new Reconnector({
			check: () => options.access(),
			onEnd: (reason) => {
				this.emit('ended', [reason]);
				this.#changed();
			},
			limits: options.reconnectLimits,
			random: options.random
		});
		if (options.restored && options.restored.length > 0) {
			// replayed after the first sync, against what the relay holds (never blindly: R13)
			this.#queued = [...options.restored];
			this.#ready = false;
		}
		this.#provider = this.#open(this.#doc);
		if (this.#connectAtOpen) this.#reconnector.connect();
		this.#changed();
	}

	/** The current document (replaced by a recovery: listen to `doc`). */
	get doc(): Y.Doc {
		return this.#doc;
	}

	/** The stock provider of the current document. */
	get provider(): WebsocketProvider {
		return this.#provider;
	}

	/** Writes not yet confirmed by the relay, oldest first. */
	get pending(): WriteOp[] {
		return [...this.outbox.pending.map((w) => w.op), ...this.#queued.map((r) => r.op)];
	}

	/** Writes waiting outside the document (restored or made during a recovery): views show their sends as pending. */
	get queued(): readonly WriteOp[] {
		return this.#queued.map((r) => r.op);
	}

	/** Whether a recovery (or the replay of restored writes) is under way. */
	get recovering(): boolean {
		return !this.#ready;
	}

	/** Connection state; never `up-to-date` before the relay answered this session. */
	get status(): DocStatus {
		return this.#status;
	}

	/** Why the document can no longer be synced, or null. */
	get ended(): EndReason | null {
		return this.#reconnector.ended;
	}

	/** Ends syncing for good, for `reason` (the session learned it elsewhere, e.g. another socket's 4401). */
	end(reason: EndReason): void {
		this.#reconnector.end(reason);
	}

	/** Writes `op` as our user (throws SyncWriteError for what the relay would refuse); false when it changed nothing. */
	write(op: WriteOp): boolean {
		if (this.#destroyed) throw new Error('ConversationSync is destroyed');
		if (!this.#ready) {
			const record = { key: this.outbox.newKey(), op };
			this.#queued.push(record);
			this.outbox.journalOnly(record);
			this.#changed();
			return true;
		}
		const wrote = this.outbox.write(this.#doc, this.options.userId, op);
		this.#changed();
		return wrote;
	}

	/** Resolves once the current document has synced with the relay. */
	whenSynced(): Promise<void> {
		const provider = this.#provider;
		if (provider.synced) return Promise.resolve();
		return new Promise((resolve) => {
			const done = (synced: boolean) => {
				if (!synced) return;
				provider.off('sync', done);
				resolve();
			};
			provider.on('sync', done);
		});
	}

	/** Goes offline (writes wait in the outbox). */
	disconnect(): void {
		this.#connectAtOpen = false;
		this.#reconnector.disconnect();
		this.#changed();
	}

	/** Comes back online: the provider resends what the relay lacks. */
	connect(): void {
		if (this.#destroyed) return;
		this.#connectAtOpen = true;
		this.#reconnector.connect();
		this.#changed();
	}

	destroy(): void {
		this.#destroyed = true;
		this.#reconnector.destroy();
		this.#provider.destroy();
		this.#doc.destroy();
		super.destroy();
	}

	/** A stock provider for `doc`, with the two handlers we need to see through. */
	#open(doc: Y.Doc): WebsocketProvider {
		const { serverUrl, docName, WebSocketPolyfill } = this.options;
		const provider = new WebsocketProvider(serverUrl, docName, doc, {
			disableBc: true,
			connect: false,
			// every server close goes through our policy (stock: fixed backoff, no jitter)
			shouldReconnect: () => false,
			...(WebSocketPolyfill ? { WebSocketPolyfill: WebSocketPolyfill as typeof WebSocket } : {})
		});
		// local updates wait for our step 2 on each socket (else R3 refuses a gap after offline writes)
		this.#gates.set(provider, gateUntilHandshake(provider));
		const stockSync = provider.messageHandlers[MESSAGE_SYNC]!;
		provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, type) => {
			const syncType = decoding.readVarUint(decoding.clone(decoder));
			stockSync(encoder, decoder, p, emitSynced, type);
			if (p !== this.#provider) return;
			if (syncType === syncProtocol.messageYjsSyncStep1) {
				// our reply (sync step 2, what the relay lacks) leaves when this handler returns: probe after it
				this.#scheduleProbe();
			} else if (syncType === syncProtocol.messageYjsSyncStep2) {
				// an answer to one of our step 1 frames: everything we sent before it was handled, and
				// a refusal would have come first (the relay refuses at once, answers once durable)
				const seq = this.#probes.shift();
				if (seq !== undefined && seq !== null && seq > 0) {
					const done = this.outbox.pending.filter((w) => w.seq <= seq).map((w) => w.op);
					this.outbox.confirmThrough(seq);
					this.#recoveriesInARow = 0;
					if (done.length > 0) this.emit('confirmed', [done]);
				}
				this.#changed();
			}
		};
		provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder, p) => {
			// y-protocols auth: varUint 0 = permission denied, then the reason
			if (decoding.readVarUint(decoder) !== 0 || p !== this.#provider) return;
			this.#refused(decoding.readVarString(decoder));
		};
		provider.on('status', ({ status }) => {
			// the provider sent its own step 1 when it opened: its answer confirms nothing new
			if (status === 'connected') this.#probes = [null];
			if (provider === this.#provider) this.#changed();
		});
		this.#reconnector.attach(provider);
		provider.on('sync', (synced: boolean) => {
			if (provider !== this.#provider || !synced) return;
			// restored writes wait for the first sync: now we know what the relay holds
			if (!this.#ready && !this.#recovering && this.#queued.length > 0) this.#settle('restored', false);
			this.#changed();
		});
		provider.on('connection-close', () => {
			this.#probes = [];
			if (provider === this.#provider) this.#changed();
		});
		doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin !== provider) this.#scheduleProbe();
		});
		return provider;
	}

	#changed(): void {
		const p = this.#provider as WebsocketProvider | undefined;
		let status: DocStatus;
		if (this.#reconnector.ended || !p) status = 'offline';
		else if (!p.wsconnected) status = this.#reconnector.wanted ? 'connecting' : 'offline';
		else if (!p.synced || !this.#ready || this.outbox.pending.length > 0) status = 'syncing';
		else status = 'up-to-date';
		const pendingCount = this.outbox.pending.length + this.#queued.length;
		if (status === this.#status && pendingCount === this.#pendingCount) return;
		this.#status = status;
		this.#pendingCount = pendingCount;
		this.emit('change', []);
	}

	/** After local writes (coalesced per tick), asks the relay for a sync step 2 as a receipt. */
	#scheduleProbe(): void {
		if (this.#probeScheduled) return;
		this.#probeScheduled = true;
		queueMicrotask(() => {
			this.#probeScheduled = false;
			const provider = this.#provider;
			const ws = provider.ws;
			// before the handshake our writes have not left (they go in our step 2): a probe answered
			// now would confirm them too early; the relay's step 1 schedules one after our reply
			if (!this.#gates.get(provider)?.open || !ws || this.outbox.pending.length === 0) return;
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			syncProtocol.writeSyncStep1(encoder, this.#doc);
			ws.send(encoding.toUint8Array(encoder));
			this.#probes.push(this.outbox.lastSeq);
		});
	}

	#refused(reason: string): void {
		this.emit('refused', [reason]);
		if (this.#recovering) {
			// the fresh document's connection was refused: recover again once this recovery is done
			this.#refusedWhileRecovering = reason;
			return;
		}
		this.#settle(reason, true);
	}

	/** Runs a recovery (`fresh`: on a new document) or the replay of restored writes, one at a time. */
	#settle(reason: string, fresh: boolean): void {
		this.#recovering = this.#recover(reason, fresh)
			.catch((error: unknown) => {
				// destroyed while waiting for the API, or access ended: nothing left to recover; anything else is a bug to surface
				if (error instanceof AccessEndedError) return this.#reconnector.end(error.reason);
				if (!this.#destroyed) throw error;
			})
			.finally(() => {
				this.#recovering = null;
				const again = this.#refusedWhileRecovering;
				this.#refusedWhileRecovering = null;
				if (again !== null && !this.#destroyed) this.#refused(again);
				this.#changed();
			});
	}

	async #recover(reason: string, fresh: boolean): Promise<void> {
		this.#ready = false;
		this.#changed();
		let giveUp = false;
		const records: OutboxRecord[] = [];
		if (fresh) {
			const old = { provider: this.#provider, doc: this.#doc };
			old.provider.destroy();
			this.#probes = [];
			giveUp = ++this.#recoveriesInARow > (this.options.maxRecoveries ?? 3);
			records.push(...this.outbox.takeAll());
			const access = await this.#access();
			if (this.#destroyed) return;
			this.#doc = new Y.Doc();
			this.#provider = this.#open(this.#doc);
			this.#reconnector.resume();
			this.emit('doc', [this.#doc]);
			old.doc.destroy();
			await this.whenSynced();
			if (this.#destroyed) return;
			return this.#replay(reason, records, giveUp, access);
		}
		const access = await this.#access();
		if (this.#destroyed) return;
		await this.whenSynced();
		if (this.#destroyed) return;
		return this.#replay(reason, records, giveUp, access);
	}

	#replay(reason: string, records: OutboxRecord[], giveUp: boolean, access: { role: Role; kind: DocKind }): void {
		// writes made during the recovery joined `#queued`: replay them too, in order
		records.push(...this.#queued.splice(0));
		const result = giveUp
			? {
					resent: [],
					already: [],
					dropped: records.map(({ op }) => ({
						op,
						rule: 'write' as const,
						reason: `gave up after ${this.#recoveriesInARow - 1} recoveries`
					}))
				}
			: this.outbox.replay(this.#doc, records, { userId: this.options.userId, ...access });
		if (giveUp) this.options.journal?.delete(records.map((r) => r.key));
		// nothing resent, nothing that could be refused again: the next refusal starts a new count
		if (result.resent.length === 0) this.#recoveriesInARow = 0;
		this.#ready = true;
		this.#scheduleProbe();
		this.emit('recovered', [{ reason, clientId: this.#doc.clientID, ...result }]);
	}

	/** Asks for our access, retrying with backoff while the API is unreachable (the outbox waits). */
	async #access(): Promise<{ role: Role; kind: DocKind }> {
		for (let attempt = 0; ; attempt++) {
			try {
				return await this.options.access();
			} catch (error) {
				if (this.#destroyed || error instanceof AccessEndedError) throw error;
				await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, this.options.random)));
			}
		}
	}
}
