/**
 * The loaded documents: each is loaded once however many connect at the same moment, and
 * unloaded after it has had no connection for a while (memory stays bounded by what is in use).
 */
import type { Logger } from 'pino';
import type { Limits } from '$lib/server/config';
import type { Tombstone } from '$lib/sync/doc-index';
import { Room, type RoomDeps } from './room.js';
import type { DocStorage } from './storage.js';
import { mergeByApplying } from './merge.js';
import { CloseCode } from '$lib/sync/protocol';
import { FanoutMessageType, NoFanout, type DocMessage, type Fanout } from './fanout.js';
import { Steps } from './relay-events.js';

/** Reads the tombstones of a document's deleted messages (from the projection), for the DocIndex. */
export type LoadTombstones = (docName: string) => Promise<Tombstone[]>;

/** The DEFAULT_LIMITS the rooms enforce: unload after this long without a connection; compact once this many rows are stored. */
export type RoomsLimits = Pick<Limits, 'relayDocIdleUnloadMs' | 'relayCompactAfterUpdates'>;

export class Rooms {
	readonly #loaded = new Map<string, Room>();
	readonly #loading = new Map<string, Promise<Room>>();
	readonly #unloadTimers = new Map<string, NodeJS.Timeout>();
	/** Counts `get` calls per document while it is loaded (see `unload`). */
	readonly #demand = new Map<string, number>();
	readonly #compacting = new Set<string>();
	/** Each loaded room's unsubscribe from the other instances' messages. */
	readonly #unsubscribe = new WeakMap<Room, () => void>();
	readonly #fanout: Fanout;
	readonly #stopResync: () => void;
	/** Steps run once a document is loaded, before anyone is served from it (see `onLoad`). */
	readonly #loadSteps = new Steps<[Room]>();

	constructor(
		private readonly storage: DocStorage,
		private readonly deps: Omit<RoomDeps, 'onFailure'>,
		private readonly options: {
			limits: RoomsLimits;
			log: Logger;
			tombstones?: LoadTombstones;
			/** The other instances serving the same documents (default: none). */
			fanout?: Fanout;
		}
	) {
		this.#fanout = options.fanout ?? new NoFanout();
		this.#stopResync = this.#fanout.onReconnect(() => {
			for (const room of this.#loaded.values()) void this.#resync(room);
		});
	}

	/**
	 * Adds a step run once a document is loaded, before anyone is served from it (the R27/R28 sets,
	 * the inbox and presence fill it here); steps run in the order added, those added with `last`
	 * after all others (presence: what it reads then is as fresh as possible when the room is listed,
	 * and events reach it). Returns its remover.
	 */
	onLoad(step: (room: Room) => Promise<void>, options: { last?: boolean } = {}): () => void {
		return this.#loadSteps.add(step, options.last ? 1 : 0);
	}

	/** The loaded room of `name`, loading it once if needed. */
	get(name: string): Promise<Room> {
		this.#cancelUnload(name);
		// An unload waiting for its room's commits must not free a room someone now asked for.
		this.#demand.set(name, (this.#demand.get(name) ?? 0) + 1);
		const room = this.#loaded.get(name);
		if (room) return Promise.resolve(room);
		let loading = this.#loading.get(name);
		if (!loading) {
			loading = this.#load(name).finally(() => this.#loading.delete(name));
			this.#loading.set(name, loading);
		}
		return loading;
	}

	/** The room if it is loaded now. */
	peek(name: string): Room | undefined {
		return this.#loaded.get(name);
	}

	/** Whether `name` is loaded or being loaded. */
	has(name: string): boolean {
		return this.#loaded.has(name) || this.#loading.has(name);
	}

	/** Every loaded room. */
	all(): IterableIterator<Room> {
		return this.#loaded.values();
	}

	/** After a connection left: unload the room once it has stayed empty for the idle time. */
	released(room: Room): void {
		if (room.connections.size > 0 || this.#unloadTimers.has(room.name)) return;
		const timer = setTimeout(() => {
			this.#unloadTimers.delete(room.name);
			if (room.connections.size === 0) void this.unload(room);
		}, this.options.limits.relayDocIdleUnloadMs);
		timer.unref();
		this.#unloadTimers.set(room.name, timer);
	}

	/** Unloads a room once its pending writes are stored. */
	async unload(room: Room): Promise<void> {
		const demand = this.#demand.get(room.name);
		await room.whenDurable();
		if (room.connections.size > 0 || this.#loaded.get(room.name) !== room || this.#demand.get(room.name) !== demand) return;
		this.#loaded.delete(room.name);
		this.#demand.delete(room.name);
		this.#free(room);
	}

	/** Compacts a room's log in the background once it is long enough. */
	maybeCompact(room: Room): void {
		if (room.logLength < this.options.limits.relayCompactAfterUpdates || this.#compacting.has(room.name)) return;
		this.#compacting.add(room.name);
		const started = performance.now();
		room
			.whenDurable()
			.then(() => this.storage.compact(room.name, mergeByApplying))
			.then((rows) => {
				room.logLength = Math.max(0, room.logLength - rows);
				// L8 counts bytes added since the load; what deletions freed shows once re-measured.
				if (rows > 0) room.measure();
				this.options.log.debug({ doc: room.name, rows, ms: Math.round(performance.now() - started) }, 'compacted');
			})
			.catch((error) => this.options.log.error({ err: error, doc: room.name }, 'compaction failed'))
			.finally(() => this.#compacting.delete(room.name));
	}

	/** Drops a room at once (after a storage failure, or when its conversation is deleted). */
	drop(room: Room): void {
		if (this.#loaded.get(room.name) === room) {
			this.#loaded.delete(room.name);
			this.#demand.delete(room.name);
		}
		this.#cancelUnload(room.name);
		this.#free(room);
	}

	/** Stops every timer and frees every room (shutdown, after connections closed). */
	async destroy(): Promise<void> {
		this.#stopResync();
		for (const timer of this.#unloadTimers.values()) clearTimeout(timer);
		this.#unloadTimers.clear();
		await Promise.allSettled([...this.#loading.values()]);
		for (const room of this.#loaded.values()) {
			await room.whenDurable();
			this.#free(room);
		}
		this.#loaded.clear();
	}

	async #load(name: string): Promise<Room> {
		// Subscribe first, then read storage: an update committed elsewhere before the subscription
		// is in what we read, one committed after it arrives here (both, sometimes: Yjs applies an
		// update twice as once). What arrives while we read waits in `early`; no cap is needed, as it
		// holds only what other instances committed during one load.
		const early: DocMessage[] = [];
		let room: Room | undefined;
		const unsubscribe = await this.#fanout.subscribe(name, (message) => (room ? room.applyRemote(message) : early.push(message)));
		let stored, tombstones;
		try {
			[stored, tombstones] = await Promise.all([this.storage.load(name), this.options.tombstones?.(name) ?? []]);
		} catch (error) {
			unsubscribe();
			throw error;
		}
		room = new Room(
			name,
			{ ...stored, tombstones },
			{
				...this.deps,
				publish: (message) => this.#fanout.publish(name, message),
				onFailure: (failed, error) => {
					this.options.log.error({ err: error, doc: name }, 'storing an update failed: dropping the document');
					this.drop(failed);
					for (const connection of failed.connections) connection.close(CloseCode.InternalError, 'storage failed; reconnect to resync');
				}
			}
		);
		this.#unsubscribe.set(room, unsubscribe);
		for (const message of early.splice(0)) room.applyRemote(message);
		try {
			await this.#loadSteps.run(room);
		} catch (error) {
			this.#free(room);
			throw error;
		}
		this.#loaded.set(name, room);
		return room;
	}

	/** Stops hearing other instances about a room, then frees it. */
	#free(room: Room): void {
		this.#unsubscribe.get(room)?.();
		this.#unsubscribe.delete(room);
		room.destroy();
	}

	/**
	 * After the link to the other instances was down, what they published meanwhile is lost: read
	 * the document again and apply it as theirs (only what is new changes anything, and is passed on).
	 */
	async #resync(room: Room): Promise<void> {
		try {
			const stored = await this.storage.load(room.name);
			if (this.#loaded.get(room.name) !== room) return;
			if (stored.updates.length === 0) return;
			room.applyRemote({ type: FanoutMessageType.Update, update: mergeByApplying(stored.updates), bindings: [...stored.clients] });
		} catch (error) {
			this.options.log.warn({ err: error, doc: room.name }, 'resync after reconnect failed');
		}
	}

	#cancelUnload(name: string): void {
		const timer = this.#unloadTimers.get(name);
		if (timer) clearTimeout(timer);
		this.#unloadTimers.delete(name);
	}
}
