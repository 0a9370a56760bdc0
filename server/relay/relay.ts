/**
 * The relay: y-websocket at `/sync/<docName>`, trusting no client. An upgrade is admitted only
 * with a valid session, our Origin (when sent) and access to the document; every update is
 * checked whole before it touches the document, stored before it is passed on; awareness only
 * speaks for its sender. Rules: docs/sync-rules.md.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { subscribe, type ParleyEvents } from '$lib/server/events';
import type { DocService } from '$lib/server/docs';
import type { Authorize, DocAccess } from './access.js';
import { conversationDocName } from '$lib/server/doc-names';
import { Connection } from './connection.js';
import { Intake, newIntakeStats, type FrameKind, type IntakeBuckets } from './intake.js';
import { TokenBucket } from './token-bucket.js';
import { GroupCommitter } from './group-commit.js';
import { projectMessages, type ProjectedChanges } from './projection.js';
import { CloseCode, MessageType, SyncType } from '$lib/sync/protocol';
import type { RelayLimits } from './limits.js';
import type { Room } from './room.js';
import { Rooms, type LoadTombstones } from './rooms.js';
import type { CommitMeter } from './meter.js';
import type { RelayStats } from '$lib/server/admin/types';
import { RelayEvents, Steps, type LoadedDoc } from './relay-events.js';
import type { DocStorage } from './storage.js';
import type { Fanout } from './fanout.js';
import { accessAfterBlock, receiveBlockedUpdate } from './blocked-pair.js';
import { followAwarenessChange, receiveLimitedAwareness } from './awareness-access.js';

/** Who a session cookie belongs to, or null. */
export type Authenticate = (req: IncomingMessage) => Promise<{ userId: string; sessionId: string } | null>;

/** What the relay is built from; everything with a side effect comes in here. */
export interface RelayOptions {
	storage: DocStorage;
	authenticate: Authenticate;
	authorize: Authorize;
	/** The public origin; an upgrade with another `Origin` header is refused (cross-site WebSocket hijacking). */
	origin: () => string;
	/** Only the limits it enforces (limits.ts), by their names in DEFAULT_LIMITS. */
	limits: RelayLimits;
	log: Logger;
	events: ParleyEvents;
	/** Mirror envelopes into `messages` in the commit transaction (SQL storage only). */
	projection?: boolean;
	tombstones?: LoadTombstones;
	/** Other instances serving the same documents (REDIS_URL); default none. Closed by its owner. */
	fanout?: Fanout;
	/** SYNC_RATE_LIMITS: false lifts the token buckets (queue bounds and size limits stay); default true. */
	rateLimits?: boolean;
	/** Commit figures of the last minute, for `stats()` (createRelay wraps the storage with it). */
	meter?: CommitMeter;
}

/** A commit slower than this is logged: every broadcast of its batch waited for it. */
const SLOW_COMMIT_MS = 50;

/** Events after which an upgrade checked before them must be checked again. */
const ACCESS_EVENTS = [
	'sessionsEnded',
	'accessRevoked',
	'membershipChanged',
	'conversationDeleted',
	'privacyChanged',
	'blocksChanged',
	'contactsChanged'
] as const;

/** A frame as ws hands it over, as one byte array (no copy for the usual single Buffer). */
function frameBytes(data: RawData): Uint8Array {
	const bytes = data instanceof Buffer ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as ArrayBuffer)]);
	return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The path prefix the relay serves. */
export const SYNC_PATH = '/sync/';

/** Answers an upgrade with an HTTP error (the WebSocket never opens). */
function refuseUpgrade(socket: Duplex, status: number, text: string): void {
	if (socket.destroyed) return;
	socket.end(
		`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`
	);
}

export class Relay {
	readonly rooms: Rooms;
	/** What the relay tells the process (relay-events.ts): commits, users online and offline. */
	readonly events = new RelayEvents();
	/** Steps `close` awaits once every connection is gone, before the rooms are freed (see `onClose`). */
	readonly #closeSteps = new Steps<[]>();
	readonly committer: GroupCommitter<ProjectedChanges>;
	readonly #wss: WebSocketServer;
	readonly #connections = new Set<Connection>();
	readonly #perUser = new Map<string, number>();
	/** Token buckets per user, shared by their connections; dropped once full and unused (#ping). */
	readonly #userBuckets = new Map<string, Record<FrameKind | 'bytes' | 'replies', TokenBucket>>();
	/** Users closed for their rate, and until when their upgrades are refused. */
	readonly #penalties = new Map<string, number>();
	/** What the intakes saw: frames, waits for tokens and for the commit queue, closes. */
	readonly intakeStats = newIntakeStats();
	/** `rechecks`: access questions (one query each) asked for connections already open, after access events. */
	readonly accessStats = { rechecks: 0 };
	readonly #keepAlive: NodeJS.Timeout;
	readonly #unsubscribe: () => void;
	#closing = false;
	/** Counts access changes (sign-outs, removals, role changes): see #admit. */
	#accessEpoch = 0;
	/** The epoch at which a block changed a connection's access without asking the database (see #fresh). */
	readonly #blockedAt = new WeakMap<Connection, number>();

	constructor(private readonly options: RelayOptions) {
		const { limits, log, storage } = options;
		this.committer = new GroupCommitter<ProjectedChanges>(
			storage,
			{
				...limits,
				slowMs: SLOW_COMMIT_MS,
				onSlow: (info) => log.warn(info, 'slow commit')
			},
			options.projection ? projectMessages : undefined
		);
		this.rooms = new Rooms(
			storage,
			{
				committer: this.committer,
				log,
				limits,
				stats: this.intakeStats,
				onCommitted: (room, changes) => {
					this.rooms.maybeCompact(room);
					this.events.emit('committed', { docName: room.name, changes });
				}
			},
			{
				limits,
				log,
				tombstones: options.tombstones,
				fanout: options.fanout
			}
		);
		// ws enforces the frame limit itself and closes with 1009 (CloseCode.TooBig).
		this.#wss = new WebSocketServer({ noServer: true, maxPayload: limits.relayMaxFrameBytes, perMessageDeflate: false });
		this.#keepAlive = setInterval(() => this.#ping(), limits.relayPingIntervalMs);
		this.#keepAlive.unref();
		if (options.rateLimits === false) log.warn('SYNC_RATE_LIMITS=off: the relay does not rate-limit clients (use for benchmarks only)');
		// Any access change bumps the epoch, so upgrades checked before it are checked again.
		const bump = () => this.#accessEpoch++;
		for (const name of ACCESS_EVENTS) options.events.on(name, bump);
		const unsubscribe = subscribe(options.events, {
			sessionsEnded: ({ sessionIds }) => {
				const ended = new Set(sessionIds);
				for (const c of this.#connections) if (ended.has(c.sessionId)) c.close(CloseCode.SessionEnded, 'session ended');
			},
			accessRevoked: ({ userId, docName }) => {
				for (const c of this.#connections)
					if (c.userId === userId && c.docName === docName) c.close(CloseCode.AccessRevoked, 'no longer a member');
			},
			// Moderators too: a new channel subscriber may be someone their presence is hidden from (A7).
			membershipChanged: ({ conversationId, userIds }) =>
				void this.#reauthorize(
					(c) =>
						c.docName === conversationDocName(conversationId) &&
						(!userIds || userIds.includes(c.userId) || c.access.role === 'owner' || c.access.role === 'admin')
				),
			privacyChanged: ({ userId }) => void this.#reauthorize((c) => c.userId === userId),
			contactsChanged: ({ ownerId }) => void this.#reauthorize((c) => c.userId === ownerId),
			blocksChanged: ({ blockerId, blockedId, blocked }) => {
				// R25 and A7 hold (or R25 ends) from the block's answer on, without a database round
				// trip; the re-read then settles awareness (A7) wherever they are.
				const pair = (c: Connection) => c.userId === blockerId || c.userId === blockedId;
				for (const c of this.#connections) {
					const after = pair(c) && accessAfterBlock(c.access, c.userId === blockerId ? blockedId : blockerId, blocked);
					if (!after) continue;
					this.#blockedAt.set(c, this.#accessEpoch);
					this.#setAccess(c, after);
				}
				void this.#reauthorize(pair);
			},
			// The instance that deleted a conversation closed its own sockets (docs.remove); this closes
			// them on the others, where the event arrives through the fan-out. Storage is not touched.
			conversationDeleted: ({ conversationId }) => {
				const docName = conversationDocName(conversationId);
				for (const c of this.#connections) if (c.docName === docName) c.close(CloseCode.Deleted, 'conversation deleted');
				const room = this.rooms.peek(docName);
				if (room) void room.whenDurable().then(() => this.rooms.drop(room));
			}
		});
		this.#unsubscribe = () => {
			for (const name of ACCESS_EVENTS) options.events.off(name, bump);
			unsubscribe();
		};
	}

	/** The documents as the server reads and writes them (system envelopes, inboxes, deletion). */
	readonly docs: DocService = {
		write: async (docName, write) => {
			const room = await this.rooms.get(docName);
			try {
				await room.serverWrite(write);
			} finally {
				this.rooms.released(room);
			}
		},
		read: async (docName, read) => {
			const room = await this.rooms.get(docName);
			try {
				return read(room.doc);
			} finally {
				this.rooms.released(room);
			}
		},
		remove: async (docName) => {
			for (const c of this.#connections) if (c.docName === docName) c.close(CloseCode.Deleted, 'conversation deleted');
			const room = this.rooms.peek(docName);
			if (room) {
				await room.whenDurable();
				this.rooms.drop(room);
			}
			await this.options.storage.delete(docName);
		}
	};

	/**
	 * Adds a step run once a document is loaded, before anyone is served from it (the inbox rebuilds
	 * an inbox here). Returns its remover.
	 */
	onLoad(step: (loaded: LoadedDoc) => Promise<void>): () => void {
		return this.rooms.onLoad((room) => step({ docName: room.name, doc: room.doc, serverWrite: (write) => room.serverWrite(write) }));
	}

	/**
	 * Adds a step `close` awaits after every connection closed (their users went offline) and before
	 * the rooms are freed: whoever listens to `userOffline` finishes what it started here (presence
	 * stores last-seen times). Returns its remover.
	 */
	onClose(step: () => Promise<void>): () => void {
		return this.#closeSteps.add(step);
	}

	/** Whether a user has an open sync connection. */
	isOnline(userId: string): boolean {
		return this.#perUser.has(userId);
	}

	/** Figures for the admin panel and /metrics (read-only; this instance only). */
	stats(): RelayStats {
		let loadedDocuments = 0;
		for (const _ of this.rooms.all()) loadedDocuments++;
		const commits = this.options.meter?.snapshot() ?? { updatesPerSecond: 0, commitP99Ms: null, commitsLastMinute: 0 };
		return { openSockets: this.#connections.size, onlineUsers: this.#perUser.size, loadedDocuments, ...commits };
	}

	/** Open connections (for tests and benchmarks). */
	get connectionCount(): number {
		return this.#connections.size;
	}

	/** The `upgrade` handler for `/sync/…`. */
	handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
		socket.on('error', () => socket.destroy());
		this.#admit(req, socket, head).catch((error) => {
			this.options.log.error({ err: error }, 'upgrade failed');
			refuseUpgrade(socket, 500, 'Internal Server Error');
		});
	};

	/** Stops accepting, closes every connection, stores what is pending, frees the rooms. */
	async close(): Promise<void> {
		this.#closing = true;
		clearInterval(this.#keepAlive);
		this.#unsubscribe();
		for (const connection of this.#connections) connection.close(CloseCode.GoingAway, 'server shutting down');
		// Their users go offline now, so last-seen times are stored before the database closes.
		for (const connection of [...this.#connections]) this.#untrack(connection);
		await this.#closeSteps.run();
		await this.committer.flush();
		await this.rooms.destroy();
		for (const ws of this.#wss.clients) ws.terminate();
		await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
	}

	async #admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		const { limits, log } = this.options;
		if (this.#closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
		const url = new URL(req.url ?? '/', 'http://relay');
		let docName: string;
		try {
			docName = decodeURIComponent(url.pathname.slice(SYNC_PATH.length));
		} catch {
			return refuseUpgrade(socket, 400, 'Bad Request');
		}
		const origin = req.headers.origin;
		if (origin !== undefined && origin !== this.options.origin()) return refuseUpgrade(socket, 403, 'Forbidden');
		const epoch = this.#accessEpoch;
		const who = await this.options.authenticate(req);
		if (!who) return refuseUpgrade(socket, 401, 'Unauthorized');
		// The cheap checks (memory only) before the access query: a client refused for its number of
		// connections or its rate costs no further database work.
		if ((this.#perUser.get(who.userId) ?? 0) >= limits.relayMaxConnectionsPerUser) return refuseUpgrade(socket, 429, 'Too Many Requests');
		// Recently closed for sending too fast: refused for a while, which stock clients back off from.
		if ((this.#penalties.get(who.userId) ?? 0) > performance.now()) return refuseUpgrade(socket, 429, 'Too Many Requests');
		const access = await this.options.authorize({ userId: who.userId, docName });
		if (!access) return refuseUpgrade(socket, 403, 'Forbidden');
		// Checked again: other upgrades of the same user may have been admitted while we asked.
		if ((this.#perUser.get(who.userId) ?? 0) >= limits.relayMaxConnectionsPerUser) return refuseUpgrade(socket, 429, 'Too Many Requests');
		if (socket.destroyed) return;

		this.#wss.handleUpgrade(req, socket, head, (ws) => {
			const connection = new Connection(ws, who.userId, who.sessionId, docName, access, limits.relayMaxBufferedBytes);
			this.#track(connection);
			// A sign-out or membership change while we were checking was not seen by this
			// connection's checks: look again now that it is tracked (and so reachable by events).
			if (this.#accessEpoch !== epoch) void this.#recheck(connection, req);
			// Frames that arrive while the document loads wait, up to a limit.
			const queued: Uint8Array[] = [];
			let queuedBytes = 0;
			let room: Room | null = null;
			const intake = this.#intake(connection, () => room!);
			ws.on('message', (data) => {
				connection.alive = true;
				// Closed by us: what ws still parses from its buffer is of no interest.
				if (connection.closed) return;
				if (room) return intake.offer(frameBytes(data));
				const bytes = frameBytes(data);
				queuedBytes += bytes.byteLength;
				// Both caps: many small frames, or a few big ones, would hold memory while a document loads.
				if (queued.length >= limits.relayMaxQueuedBeforeReady || queuedBytes > limits.relayMaxQueuedBytesBeforeReady)
					return connection.close(CloseCode.PolicyViolation, 'too much sent before the document was ready');
				queued.push(bytes);
			});
			ws.on('pong', () => (connection.alive = true));
			ws.on('error', (error) => log.debug({ err: error, doc: docName }, 'socket error'));
			ws.on('close', () => {
				intake.close();
				this.#untrack(connection);
				if (room) {
					room.remove(connection);
					this.rooms.released(room);
				}
			});
			this.rooms.get(docName).then(
				(loaded) => {
					if (connection.closed) return this.rooms.released(loaded);
					room = loaded;
					loaded.add(connection);
					for (const bytes of queued.splice(0)) intake.offer(bytes);
				},
				(error) => {
					log.error({ err: error, doc: docName }, 'loading a document failed');
					connection.close(CloseCode.InternalError, 'document unavailable');
				}
			);
		});
	}

	/** Checks an admitted connection's session and access again (see #admit). */
	async #recheck(connection: Connection, req: IncomingMessage): Promise<void> {
		try {
			const who = await this.options.authenticate(req);
			if (!who || who.sessionId !== connection.sessionId) return connection.close(CloseCode.SessionEnded, 'session ended');
			const asked = this.#accessEpoch;
			this.accessStats.rechecks++;
			const access = await this.options.authorize({ userId: connection.userId, docName: connection.docName });
			if (!this.#fresh(connection, asked)) return;
			if (access) this.#setAccess(connection, access);
			else connection.close(CloseCode.AccessRevoked, 'no longer a member');
		} catch (error) {
			this.options.log.warn({ err: error, doc: connection.docName }, 're-check failed: closing');
			connection.close(CloseCode.InternalError, 'try again');
		}
	}

	/**
	 * Roles or settings changed: the affected open connections take their new access for their next
	 * update (a demoted admin loses moderator rights at once); one that lost access is closed.
	 */
	async #reauthorize(affects: (connection: Connection) => boolean): Promise<void> {
		const affected = [...this.#connections].filter(affects);
		const asked = new Map<string, { epoch: number; access: Promise<DocAccess | null> }>();
		for (const connection of affected) {
			const key = `${connection.userId}\u0000${connection.docName}`;
			let ask = asked.get(key);
			if (!ask) {
				this.accessStats.rechecks++;
				const access = this.options.authorize({ userId: connection.userId, docName: connection.docName });
				asked.set(key, (ask = { epoch: this.#accessEpoch, access }));
			}
			try {
				const now = await ask.access;
				if (!this.#fresh(connection, ask.epoch)) continue;
				if (now) this.#setAccess(connection, now);
				else connection.close(CloseCode.AccessRevoked, 'no longer a member');
			} catch (error) {
				this.options.log.warn({ err: error, doc: connection.docName }, 're-authorization failed');
			}
		}
	}

	/**
	 * Whether an answer to a question asked at `epoch` may still be applied: not when a block changed
	 * the connection since (its answer predates the block; the re-read the block started follows).
	 */
	#fresh(connection: Connection, epoch: number): boolean {
		return (this.#blockedAt.get(connection) ?? -1) <= epoch;
	}

	/** A connection's new access; its awareness in the room follows at once (A7). */
	#setAccess(connection: Connection, access: DocAccess): void {
		const before = connection.access;
		connection.access = access;
		followAwarenessChange(this.rooms.peek(connection.docName), connection, before);
	}

	/**
	 * The gate in front of a connection's room (intake.ts): token buckets of the connection and its
	 * user (unless rate limits are off), and the commit queue's room for the document.
	 */
	#intake(connection: Connection, room: () => Room): Intake {
		const { limits } = this.options;
		let buckets: IntakeBuckets = null;
		if (this.options.rateLimits !== false) {
			const now = () => performance.now();
			let user = this.#userBuckets.get(connection.userId);
			if (!user)
				this.#userBuckets.set(
					connection.userId,
					(user = {
						sync: new TokenBucket(limits.relayUserUpdateRatePerSecond, limits.relayUserUpdateBurst, now),
						awareness: new TokenBucket(limits.relayUserAwarenessRatePerSecond, limits.relayUserAwarenessBurst, now),
						bytes: new TokenBucket(limits.relayUserBytesPerSecond, limits.relayUserBytesBurst, now),
						replies: new TokenBucket(limits.relayUserReplyBytesPerSecond, limits.relayUserReplyBytesBurst, now)
					})
				);
			buckets = {
				sync: [new TokenBucket(limits.relayUpdateRatePerSecond, limits.relayUpdateBurst, now), user.sync],
				awareness: [new TokenBucket(limits.relayAwarenessRatePerSecond, limits.relayAwarenessBurst, now), user.awareness],
				bytes: [new TokenBucket(limits.relayBytesPerSecond, limits.relayBytesBurst, now), user.bytes],
				replies: [user.replies]
			};
			connection.replyBuckets = [user.replies];
		}
		return new Intake({
			buckets,
			deliver: (frame) => this.#receive(room(), connection, frame),
			pause: () => connection.pauseReading(),
			resume: () => connection.resumeReading(),
			accepts: () => this.committer.accepts(connection.docName),
			whenAccepts: (fn) => this.committer.whenAccepts(connection.docName, fn),
			onOverLimit: () => {
				this.options.log.warn({ doc: connection.docName, userId: connection.userId }, 'over the rate limit too long: closing');
				this.#penalties.set(connection.userId, performance.now() + limits.relayRateLimitPenaltyMs);
				connection.close(CloseCode.RateLimited, 'sending too fast');
			},
			onOverflow: () => connection.close(CloseCode.PolicyViolation, 'too much sent while paused'),
			limits,
			stats: this.intakeStats,
			now: () => performance.now()
		});
	}

	/** Dispatches one frame; a frame that does not decode closes this connection only. */
	#receive(room: Room, connection: Connection, bytes: Uint8Array): void {
		if (connection.closed) return;
		try {
			const decoder = decoding.createDecoder(bytes);
			const type = decoding.readVarUint(decoder);
			switch (type) {
				case MessageType.Sync: {
					const syncType = decoding.readVarUint(decoder);
					const payload = decoding.readVarUint8Array(decoder);
					// One message per frame: bytes after it mean a broken or hostile encoder.
					if (decoding.hasContent(decoder)) throw new Error('trailing bytes after a sync message');
					const update = syncType === SyncType.Step2 || syncType === SyncType.Update;
					if (syncType === SyncType.Step1) room.answerSyncStep1(connection, payload);
					// R25: a blocked pair's direct conversation takes nothing new from either.
					else if (update && connection.access.blocked) receiveBlockedUpdate(room, connection, payload, this.options.log);
					else if (update) room.receiveUpdate(connection, payload);
					else throw new Error(`unknown sync message ${syncType}`);
					return;
				}
				case MessageType.Awareness:
					if (!receiveLimitedAwareness(room, connection, decoding.readVarUint8Array(decoder))) throw new Error('malformed awareness');
					return;
				case MessageType.QueryAwareness:
					return room.answerAwarenessQuery(connection);
				default:
					throw new Error(`unknown message type ${type}`);
			}
		} catch (error) {
			this.options.log.info({ doc: room.name, userId: connection.userId, reason: (error as Error).message }, 'malformed frame');
			connection.close(CloseCode.Malformed, 'malformed message');
		}
	}

	#track(connection: Connection): void {
		this.#connections.add(connection);
		const count = (this.#perUser.get(connection.userId) ?? 0) + 1;
		this.#perUser.set(connection.userId, count);
		if (count === 1) this.events.emit('userOnline', { userId: connection.userId });
	}

	#untrack(connection: Connection): void {
		if (!this.#connections.delete(connection)) return;
		const left = (this.#perUser.get(connection.userId) ?? 1) - 1;
		if (left > 0) this.#perUser.set(connection.userId, left);
		else {
			this.#perUser.delete(connection.userId);
			this.events.emit('userOffline', { userId: connection.userId });
		}
	}

	/** Keep-alive: a connection that answered nothing since the last ping is gone. Also prunes rate state. */
	#ping(): void {
		const now = performance.now();
		for (const [userId, until] of this.#penalties) if (until <= now) this.#penalties.delete(userId);
		// A full bucket is the same as a new one: drop those of users who are gone.
		for (const [userId, buckets] of this.#userBuckets)
			if (!this.#perUser.has(userId) && Object.values(buckets).every((b) => b.full)) this.#userBuckets.delete(userId);
		for (const connection of this.#connections) {
			// A socket we stopped reading cannot show us its pongs: it is not counted as silent.
			if (!connection.alive && !connection.readingPaused) {
				connection.ws.terminate();
				continue;
			}
			connection.alive = false;
			connection.ws.ping();
		}
	}
}

export type { WebSocket };
