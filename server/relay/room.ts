/**
 * One loaded document and its connections. Incoming updates are checked against the server's copy,
 * applied, committed (group commit), and only then passed on: durable before visible. Replies to
 * sync requests wait for the same commits, so nobody ever sees state that is not yet stored.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from 'pino';
import type { Limits } from '$lib/server/config';
import { checkUpdate } from '$lib/sync/check-update';
import { DocIndex, type Tombstone } from '$lib/sync/doc-index';
import { AWARENESS_LIMITS, filterAwarenessUpdate, preFilterAwareness, type AwarenessPrefilterResult } from '$lib/sync/awareness-filter';
import type { GroupCommitter } from './group-commit.js';
import type { ProjectedChanges } from './projection.js';
import type { ServerWrite } from '$lib/server/docs';
import type { Envelope } from '$lib/sync/schema';
import { awarenessStatesFrame, CloseCode, permissionDenied, syncStep1, syncStep2, updateFrame } from '$lib/sync/protocol';
import type { IntakeStats } from './intake.js';
import { Connection } from './connection.js';
import { FanoutMessageType, type DocMessage } from './fanout.js';
import { AwarenessCoalescer } from './awareness-coalescer.js';

/** The user id the relay binds its own Yjs client ids to; never a real user's id (those have no '@'). */
export const SERVER_USER = '@server';

/** Transaction and awareness origin of what another instance sent (never published again). */
export const REMOTE_ORIGIN = Symbol('remote instance');

/** What a room needs from the relay. */
export interface RoomDeps {
	committer: GroupCommitter<ProjectedChanges>;
	log: Logger;
	/** Called when the room could not store an update: the relay unloads it. */
	onFailure(room: Room, error: unknown): void;
	/** Called after an update is durable (for the inbox and notifications). */
	onCommitted?(room: Room, changes: ProjectedChanges | null): void;
	/** Tells the other instances (fanout.ts): committed updates, and awareness from our clients. */
	publish?(message: DocMessage): void;
	/** Bounds from DEFAULT_LIMITS (docs/sync-rules.md); each unset one is unbounded (the flush interval: 0). */
	limits?: Partial<RoomLimits>;
	/** Counters shared with the relay's intakes (tests and the abuse benchmark read them). */
	stats?: IntakeStats;
	now?: () => number;
}

/**
 * The DEFAULT_LIMITS a room enforces itself, by their names there: L8 (`relayDocMaxBytes`), the
 * refusals before a close, the query-awareness interval, A4's entries margin, the sync step 1
 * queue, and the least time between two awareness broadcasts (awareness-coalescer.ts).
 */
export type RoomLimits = Pick<
	Limits,
	| 'relayDocMaxBytes'
	| 'relayRefusalsBeforeClose'
	| 'relayRefusalWindowMs'
	| 'relayAwarenessQueryMinMs'
	| 'relayAwarenessEntriesMargin'
	| 'relayStep1QueueMax'
	| 'relayAwarenessFlushMs'
>;

/** L8's refusal text (docs/sync-rules.md). */
export const DOC_SIZE_RULE = 'L8';

export class Room {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly connections = new Set<Connection>();
	/** Awareness client ids the server speaks for (presence in inboxes); no connection may claim them. */
	readonly serverAwarenessIds = new Set<number>();
	/** Awareness client ids of clients on other instances; no connection here may claim them. */
	readonly #remoteAwarenessIds = new Set<number>();
	readonly #clients: Map<number, string>;
	readonly #index: DocIndex;
	readonly #coalescer: AwarenessCoalescer;
	/** Resolves when every commit started so far is durable; rejects once one failed. */
	#durable: Promise<void> = Promise.resolve();
	#failed = false;
	/**
	 * Upload ids made for this conversation that envelopes may reference (R27). Filled when the
	 * document loads and as uploads are made (server/relay/upload-ids.ts); bounded there.
	 */
	readonly uploadIds = new Set<string>();
	/**
	 * Member ids of this conversation that envelopes may mention (R28); null until loaded (then
	 * mentions are not checked: only conversations get one). Kept by server/relay/member-ids.ts; bounded there.
	 */
	memberIds: Set<string> | null = null;
	/** Log rows stored since the last compaction (drives background compaction). */
	logLength: number;
	/**
	 * The document's size for L8: bytes of the updates it was loaded from plus every change applied
	 * since (an upper bound of its encoded size); re-measured at each compaction (`measure`).
	 */
	sizeBytes: number;
	/** Which connection holds each claimed awareness client id (A1), so a claim is one lookup. */
	readonly #awarenessHolders = new Map<number, Connection>();
	/** The last sync step 2 reply encoded, for its state vector; dropped at every change of the document. */
	#replyCache: { stateVector: string; frame: Uint8Array } | null = null;

	constructor(
		readonly name: string,
		stored: { updates: Uint8Array[]; clients: Map<number, string>; logLength: number; tombstones?: Tombstone[] },
		private readonly deps: RoomDeps
	) {
		this.doc.transact(() => {
			for (const update of stored.updates) Y.applyUpdate(this.doc, update);
		});
		this.#clients = stored.clients;
		this.logLength = stored.logLength;
		this.sizeBytes = stored.updates.reduce((sum, u) => sum + u.byteLength, 0);
		this.doc.on('update', () => (this.#replyCache = null));
		this.#index = new DocIndex(this.doc, { tombstones: stored.tombstones });
		// The relay speaks only for others: it has no presence of its own.
		this.awareness.setLocalState(null);
		// Broadcasts are coalesced (latest state per client id, one frame per interval at most), so a
		// client sending states back to back cannot multiply its bytes by the number of listeners.
		this.#coalescer = new AwarenessCoalescer(deps.limits?.relayAwarenessFlushMs ?? 0, (changed, publish) => {
			const frame = awarenessStatesFrame(this.awareness, changed);
			for (const connection of this.connections) connection.send(frame);
			if (publish.length > 0)
				this.deps.publish?.({
					type: FanoutMessageType.Awareness,
					update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, publish)
				});
		});
		this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
			const changed = [...added!, ...updated!, ...removed!];
			if (origin instanceof Connection) {
				for (const id of added!) {
					origin.awarenessIds.add(id);
					this.#awarenessHolders.set(id, origin);
				}
				for (const id of removed!) {
					origin.awarenessIds.delete(id);
					if (this.#awarenessHolders.get(id) === origin) this.#awarenessHolders.delete(id);
				}
			}
			if (origin === REMOTE_ORIGIN) {
				for (const id of added!) this.#remoteAwarenessIds.add(id);
				for (const id of removed!) this.#remoteAwarenessIds.delete(id);
			}
			// Other instances hear our clients (filtered already) and their going away. Not presence
			// (each instance computes its own), not timeouts (each instance times out by itself; a
			// published timeout could remove a state another instance still hears renewed), and never
			// what came from another instance.
			this.#coalescer.changed(changed, origin instanceof Connection || origin === 'disconnect');
		});
	}

	/** Who first wrote with a Yjs client id here. */
	clientOwner(clientId: number): string | undefined {
		return this.#clients.get(clientId);
	}

	/** A new connection: ask it for what we lack, tell it who is here. */
	add(connection: Connection): void {
		this.connections.add(connection);
		connection.send(syncStep1(this.doc));
		if (this.awareness.getStates().size > 0) connection.send(awarenessStatesFrame(this.awareness));
	}

	/** A closed connection: its presence goes with it. */
	remove(connection: Connection): void {
		this.connections.delete(connection);
		for (const id of connection.awarenessIds) if (this.#awarenessHolders.get(id) === connection) this.#awarenessHolders.delete(id);
		if (connection.awarenessIds.size > 0)
			awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], 'disconnect');
	}

	/**
	 * What another instance sent about this document. An update there was checked against the same
	 * rules and committed before it was published, so it is applied here unchecked and passed on at
	 * once: it is durable already. Its client-id bindings are learnt, so the owner of a client id
	 * may go on writing with it here (R5). Awareness was filtered there; it is passed on likewise.
	 */
	applyRemote(message: DocMessage): void {
		if (this.#failed) return;
		if (message.type === FanoutMessageType.Awareness) {
			awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, REMOTE_ORIGIN);
			return;
		}
		// The first binding of a client id wins, as in storage.
		for (const [id, user] of message.bindings) if (!this.#clients.has(id)) this.#clients.set(id, user);
		// Yjs is idempotent: what this room already has (loaded from storage too) changes nothing.
		const delta = this.#apply(message.update, REMOTE_ORIGIN);
		if (!delta) return;
		const frame = updateFrame(delta);
		for (const connection of this.connections) connection.send(frame);
	}

	/** Answers a sync step 1 once everything accepted so far is durable. */
	answerSyncStep1(connection: Connection, stateVector: Uint8Array): void {
		// Decoded now, inside the relay's frame handler, so a malformed vector closes this connection
		// (1007); thrown later inside the promise callback it was an unhandled rejection (process exit).
		Y.decodeStateVector(stateVector);
		const stats = this.deps.stats;
		// One reply encoded at a time per connection; later step 1 frames wait behind it, in order, and
		// are each answered (Parley's client uses every answer as a receipt for the writes before it).
		// A stock client asks once per connect; ours after a burst of writes: a handful at most.
		if (connection.replyPending) {
			if (connection.deferredStep1.length >= (this.deps.limits?.relayStep1QueueMax ?? Infinity)) {
				if (stats) stats.step1Dropped++;
				connection.close(CloseCode.PolicyViolation, 'too many sync requests waiting');
				return;
			}
			connection.deferredStep1.push(stateVector);
			return;
		}
		// A reply can be the whole document: not encoded for a client that does not read what it has.
		if (connection.backlogged) {
			if (stats) stats.step1BacklogCloses++;
			connection.close(CloseCode.TryAgainLater, 'too slow: backlog over the limit');
			return;
		}
		// Encoded now: the state holds exactly what was accepted so far, which the commits pending
		// now cover. Encoded later it could hold updates accepted meanwhile and not yet stored.
		// Every new device asks with the same (empty) vector: the last encoding is kept until the
		// document changes, so many asking at once cost one encoding and share one buffer.
		const key = Buffer.from(stateVector).toString('latin1');
		let reply: Uint8Array;
		if (this.#replyCache?.stateVector === key) {
			reply = this.#replyCache.frame;
			if (stats) stats.step1CacheHits++;
		} else {
			reply = syncStep2(this.doc, stateVector);
			this.#replyCache = { stateVector: key, frame: reply };
		}
		// Charged by what it costs: the reply's size (the next step 1 waits while the budget is in debt).
		for (const bucket of connection.replyBuckets) bucket.charge(reply.byteLength);
		connection.replyPending = true;
		this.#afterDurable(() => {
			connection.replyPending = false;
			if (connection.closed) return;
			connection.send(reply);
			const next = connection.deferredStep1.shift();
			if (next) this.answerSyncStep1(connection, next);
		});
	}

	/**
	 * Tells the sender its update was refused, and closes a connection refused too often: a stock
	 * client is refused at most once after a role change it had not heard of; a script probing the
	 * checker is refused frame after frame, each costing a full check.
	 */
	refuse(connection: Connection, reason: string): void {
		connection.send(permissionDenied(reason));
		const max = this.deps.limits?.relayRefusalsBeforeClose;
		if (!max) return;
		const now = this.deps.now?.() ?? performance.now();
		const window = this.deps.limits?.relayRefusalWindowMs ?? 60_000;
		const times = connection.refusedAt;
		times.push(now);
		while (times.length > 0 && times[0]! <= now - window) times.shift();
		if (times.length >= max) {
			if (this.deps.stats) this.deps.stats.refusalCloses++;
			this.deps.log.warn({ doc: this.name, userId: connection.userId, refusals: times.length }, 'too many refused updates: closing');
			connection.close(CloseCode.PolicyViolation, 'too many refused updates');
		}
	}

	/** Re-measures the document's size for L8 (after a compaction: deletions may have shrunk it). */
	measure(): void {
		this.sizeBytes = Y.encodeStateAsUpdate(this.doc).byteLength;
	}

	/** A client's update (sync step 2 or update): checked whole, then applied, stored and passed on. */
	receiveUpdate(connection: Connection, update: Uint8Array): void {
		if (this.#failed) return;
		// L8: checked first, on the update's size alone (it may only add to the document's).
		const max = this.deps.limits?.relayDocMaxBytes;
		if (max !== undefined && this.sizeBytes + update.byteLength > max) {
			if (this.deps.stats) this.deps.stats.docSizeRefusals++;
			this.deps.log.warn(
				{ doc: this.name, userId: connection.userId, sizeBytes: this.sizeBytes, updateBytes: update.byteLength },
				'update refused: L8'
			);
			this.refuse(connection, `${DOC_SIZE_RULE}: the conversation has reached its size limit`);
			return;
		}
		const verdict = checkUpdate(
			this.doc,
			update,
			{
				userId: connection.userId,
				role: connection.access.role,
				kind: connection.access.kind,
				readReceipts: connection.access.readReceipts,
				clientOwner: (id) => this.#clients.get(id),
				isServerClient: (id) => this.#clients.get(id) === SERVER_USER,
				isUpload: (id) => this.uploadIds.has(id),
				...(this.memberIds ? { isMember: (id: string) => this.memberIds!.has(id) } : {})
			},
			this.#index
		);
		if (!verdict.ok) {
			this.deps.log.warn({ doc: this.name, userId: connection.userId, rule: verdict.rule, reason: verdict.reason }, 'update refused');
			this.refuse(connection, `${verdict.rule}: ${verdict.reason}`);
			return;
		}
		const delta = this.#apply(update, connection);
		if (!delta) return;
		const bindings = verdict.newBindings.map((id) => [id, connection.userId] as const);
		for (const [id, user] of bindings) this.#clients.set(id, user);
		this.#commit(delta, bindings, { ...verdict.changes, userId: connection.userId }, connection);
	}

	/**
	 * A write by the server itself (system envelopes, inbox entries): stored, then passed on. The
	 * envelopes `write` says it appended are mirrored into `messages` in the same commit, the one
	 * path client writes take too (projection.ts).
	 */
	serverWrite(write: ServerWrite): Promise<void> {
		if (this.#failed) return Promise.reject(new Error(`document ${this.name} is unavailable`));
		let delta: Uint8Array | null = null;
		const added: Envelope[] = [];
		const capture = (u: Uint8Array) => (delta = delta ? Y.mergeUpdates([delta, u]) : u);
		this.doc.on('update', capture);
		try {
			this.doc.transact(() => write(this.doc, (envelopes) => added.push(...envelopes)), SERVER_USER);
		} finally {
			this.doc.off('update', capture);
		}
		if (!delta) return Promise.resolve();
		this.sizeBytes += (delta as Uint8Array).byteLength;
		const id = this.doc.clientID;
		const bindings = this.#clients.has(id) ? [] : [[id, SERVER_USER] as const];
		this.#clients.set(id, SERVER_USER);
		const projected = added.length ? { added, deleted: [], edits: [], reads: [], reactions: [], userId: SERVER_USER } : null;
		// The commit hooks hear server writes as before (null): the callers announce what they changed.
		return this.#commit(delta, bindings, projected, null, null);
	}

	/** Incoming awareness: only entries about the sender survive (A-rules), then everyone hears them. */
	receiveAwareness(connection: Connection, update: Uint8Array): boolean {
		// A5: channel subscribers do not see each other, so their presence and typing go nowhere.
		if (connection.access.kind === 'channel' && connection.access.role === 'subscriber') return true;
		const result = filterAwarenessUpdate(update, {
			userId: connection.userId,
			clientIds: connection.awarenessIds,
			claim: (id) => this.#claimAwareness(connection, id)
		});
		if (result.malformed) return false;
		if (result.update) awarenessProtocol.applyAwarenessUpdate(this.awareness, result.update, connection);
		return true;
	}

	/**
	 * A4/A1 first pass over an awareness frame (awareness-filter.ts `preFilterAwareness`): a frame
	 * with more entries than the room's states plus a margin is dropped; entries of ids this
	 * connection does not own are skipped unread.
	 */
	prefilterAwareness(connection: Connection, update: Uint8Array): AwarenessPrefilterResult {
		const margin = this.deps.limits?.relayAwarenessEntriesMargin ?? Infinity;
		const result = preFilterAwareness(update, {
			owns: (id) => connection.awarenessIds.has(id),
			mayClaim: connection.awarenessIds.size < AWARENESS_LIMITS.maxClientIdsPerConnection,
			maxEntries: this.awareness.getStates().size + margin
		});
		if (result.tooMany && this.deps.stats) this.deps.stats.awarenessEntryRefusals++;
		return result;
	}

	/** Replies to a query-awareness with every known state, at most once per `awarenessQueryMinMs`. */
	answerAwarenessQuery(connection: Connection): void {
		const now = this.deps.now?.() ?? performance.now();
		if (now - connection.lastAwarenessQuery < (this.deps.limits?.relayAwarenessQueryMinMs ?? 0)) {
			if (this.deps.stats) this.deps.stats.awarenessQueriesSkipped++;
			return;
		}
		connection.lastAwarenessQuery = now;
		connection.send(awarenessStatesFrame(this.awareness));
	}

	/** Resolves when all accepted updates are stored. */
	whenDurable(): Promise<void> {
		return this.#durable.catch(() => {});
	}

	/** Frees the document (after the last connection left, or on failure). */
	destroy(): void {
		this.#failed = true;
		this.#coalescer.destroy();
		this.#index.destroy();
		this.awareness.destroy();
		this.doc.destroy();
	}

	#claimAwareness(connection: Connection, id: number): boolean {
		// An id bound to another user's Yjs writes, or announced by another connection, is not theirs.
		const owner = this.#clients.get(id);
		if (owner !== undefined && owner !== connection.userId) return false;
		if (this.serverAwarenessIds.has(id) || this.#remoteAwarenessIds.has(id)) return false;
		const holder = this.#awarenessHolders.get(id);
		if (holder !== undefined && holder !== connection) return false;
		connection.awarenessIds.add(id);
		this.#awarenessHolders.set(id, connection);
		return true;
	}

	/** Applies an accepted update; returns exactly what it changed (null: nothing new). */
	#apply(update: Uint8Array, origin: unknown): Uint8Array | null {
		let delta: Uint8Array | null = null;
		const capture = (u: Uint8Array) => (delta = delta ? Y.mergeUpdates([delta, u]) : u);
		this.doc.on('update', capture);
		try {
			Y.applyUpdate(this.doc, update, origin);
		} finally {
			this.doc.off('update', capture);
		}
		if (delta) this.sizeBytes += (delta as Uint8Array).byteLength;
		return delta;
	}

	#commit(
		delta: Uint8Array,
		bindings: ReadonlyArray<readonly [number, string]>,
		changes: ProjectedChanges | null,
		from: Connection | null,
		/** what onCommitted hears (the server's own writes: null) */
		told: ProjectedChanges | null = changes
	): Promise<void> {
		const committed = this.deps.committer.commit({
			docName: this.name,
			update: delta,
			bindings,
			extra: changes ?? undefined,
			abandoned: () => this.#failed
		});
		this.logLength++;
		// Failures are handled once, through onFailure below; a client's discarded promise must not
		// become an unhandled rejection (which ends the process).
		committed.catch(() => {});
		// Chain, so broadcasts and sync answers leave in acceptance order and only once durable.
		this.#durable = this.#durable.then(() => committed);
		const frame = updateFrame(delta);
		this.#durable.then(
			() => {
				for (const connection of this.connections) if (connection !== from) connection.send(frame);
				// Other instances hear it only now, durable, with the bindings it introduced.
				this.deps.publish?.({ type: FanoutMessageType.Update, update: delta, bindings });
				// A hook's failure is its own; it must not become an unhandled rejection here.
				try {
					this.deps.onCommitted?.(this, told);
				} catch (error) {
					this.deps.log.error({ err: error, doc: this.name }, 'commit hook failed');
				}
			},
			(error) => {
				if (this.#failed) return;
				this.#failed = true;
				this.deps.onFailure(this, error);
			}
		);
		return committed;
	}

	#afterDurable(fn: () => void): void {
		this.#durable.then(fn, () => {});
	}
}
