/**
 * One conversation document kept in sync through a stock y-websocket provider, with an outbox
 * that survives the relay's refusals. A refused update wedges its Yjs client id for good (its
 * clocks now have a gap, docs/sync-rules.md), so on a permission-denied this drops the provider
 * and the document, syncs a fresh document (new client id) from the relay, and replays the
 * pending writes that the relay's rules still allow, reporting the others as dropped.
 * Browser and Node alike (pass `WebSocketPolyfill` in Node).
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ObservableV2 } from 'lib0/observable';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import type { DocKind, Role } from '../../sync/check-update.js';
import { Outbox, type DroppedWrite } from './outbox.js';
import type { WriteOp } from './write-ops.js';
import { MessageType } from '../../sync/protocol.js';

/** y-websocket's message types (the provider's own numbering). */
const MESSAGE_SYNC = MessageType.Sync;
const MESSAGE_AUTH = MessageType.Auth;

/** What a recovery did. */
export interface RecoveryReport {
	/** the refusal that started it (`R14: …`) */
	reason: string;
	/** the fresh document's Yjs client id */
	clientId: number;
	resent: WriteOp[];
	dropped: DroppedWrite[];
}

/** Events of a ConversationSync. */
export type ConversationSyncEvents = {
	/** The relay refused an update of ours; a recovery follows. */
	refused: (reason: string) => void;
	/** A fresh document replaced the old one (views re-bind to it). */
	doc: (doc: Y.Doc) => void;
	/** The recovery finished: what was resent and what is no longer allowed. */
	recovered: (report: RecoveryReport) => void;
};

/** How to reach the relay and who we are there. */
export interface ConversationSyncOptions {
	/** The relay's base URL, e.g. `wss://chat.example/sync` (the document name is appended). */
	serverUrl: string;
	docName: string;
	userId: string;
	/** Our current role and the conversation's kind; asked again at each recovery (a role may have changed offline). */
	access: () => Promise<{ role: Role; kind: DocKind }>;
	WebSocketPolyfill?: unknown;
	maxBackoffTime?: number;
	/** Recoveries in a row without any write confirmed before the outbox is given up (a relay that refuses everything). */
	maxRecoveries?: number;
}

export class ConversationSync extends ObservableV2<ConversationSyncEvents> {
	readonly outbox = new Outbox();
	#doc: Y.Doc;
	#provider: WebsocketProvider;
	/** Outbox positions of the sync step 1 frames in flight on this connection; the relay answers them in order. */
	#probes: (number | null)[] = [];
	#probeScheduled = false;
	/** Writes made while recovering, replayed with the outbox. */
	#queued: WriteOp[] = [];
	#recovering: Promise<void> | null = null;
	/** False from a refusal until the replay is done: writes then wait in `#queued`. */
	#ready = true;
	#refusedWhileRecovering: string | null = null;
	#recoveriesInARow = 0;
	#destroyed = false;

	constructor(private readonly options: ConversationSyncOptions) {
		super();
		this.#doc = new Y.Doc();
		this.#provider = this.#open(this.#doc);
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
		return [...this.outbox.pending.map((w) => w.op), ...this.#queued];
	}

	/** Whether a recovery is under way. */
	get recovering(): boolean {
		return !this.#ready;
	}

	/** Writes `op` as our user (throws SyncWriteError for what the relay would refuse); false when it changed nothing. */
	write(op: WriteOp): boolean {
		if (this.#destroyed) throw new Error('ConversationSync is destroyed');
		if (!this.#ready) {
			this.#queued.push(op);
			return true;
		}
		return this.outbox.write(this.#doc, this.options.userId, op);
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
		this.#provider.disconnect();
	}

	/** Comes back online: the provider resends what the relay lacks. */
	connect(): void {
		this.#provider.connect();
	}

	destroy(): void {
		this.#destroyed = true;
		this.#provider.destroy();
		this.#doc.destroy();
		super.destroy();
	}

	/** A stock provider for `doc`, with the two handlers we need to see through. */
	#open(doc: Y.Doc): WebsocketProvider {
		const { serverUrl, docName, WebSocketPolyfill, maxBackoffTime } = this.options;
		const provider = new WebsocketProvider(serverUrl, docName, doc, {
			disableBc: true,
			maxBackoffTime,
			...(WebSocketPolyfill ? { WebSocketPolyfill: WebSocketPolyfill as typeof WebSocket } : {})
		});
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
					this.outbox.confirmThrough(seq);
					this.#recoveriesInARow = 0;
				}
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
		});
		provider.on('connection-close', () => (this.#probes = []));
		doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin !== provider) this.#scheduleProbe();
		});
		return provider;
	}

	/** After local writes (coalesced per tick), asks the relay for a sync step 2 as a receipt. */
	#scheduleProbe(): void {
		if (this.#probeScheduled) return;
		this.#probeScheduled = true;
		queueMicrotask(() => {
			this.#probeScheduled = false;
			const provider = this.#provider;
			const ws = provider.ws;
			if (!provider.wsconnected || !ws || ws.readyState !== 1 || this.outbox.pending.length === 0) return;
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
		this.#recovering = this.#recover(reason)
			.catch((error: unknown) => {
				// destroyed while waiting for the API: nothing left to recover; anything else is a bug to surface
				if (!this.#destroyed) throw error;
			})
			.finally(() => {
				this.#recovering = null;
				const again = this.#refusedWhileRecovering;
				this.#refusedWhileRecovering = null;
				if (again !== null && !this.#destroyed) this.#refused(again);
			});
	}

	async #recover(reason: string): Promise<void> {
		this.#ready = false;
		const old = { provider: this.#provider, doc: this.#doc };
		old.provider.destroy();
		this.#probes = [];
		const giveUp = ++this.#recoveriesInARow > (this.options.maxRecoveries ?? 3);
		const ops = this.outbox.takeAll();
		const access = await this.#access();
		if (this.#destroyed) return;
		this.#doc = new Y.Doc();
		this.#provider = this.#open(this.#doc);
		this.emit('doc', [this.#doc]);
		old.doc.destroy();
		await this.whenSynced();
		if (this.#destroyed) return;
		// writes made during the recovery joined `#queued`: replay them too, in order
		ops.push(...this.#queued.splice(0));
		const result = giveUp
			? { resent: [], dropped: ops.map((op) => ({ op, rule: 'write' as const, reason: `gave up after ${this.#recoveriesInARow - 1} recoveries` })) }
			: this.outbox.replay(this.#doc, ops, { userId: this.options.userId, ...access });
		// nothing resent, nothing that could be refused again: the next refusal starts a new count
		if (result.resent.length === 0) this.#recoveriesInARow = 0;
		this.#ready = true;
		this.emit('recovered', [{ reason, clientId: this.#doc.clientID, ...result }]);
	}

	/** Asks for our access, retrying with backoff while the API is unreachable (the outbox waits). */
	async #access(): Promise<{ role: Role; kind: DocKind }> {
		for (let attempt = 0; ; attempt++) {
			try {
				return await this.options.access();
			} catch (error) {
				if (this.#destroyed) throw error;
				await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 30_000)));
			}
		}
	}
}
