/**
 * Fan-out between instances: with REDIS_URL several Parley processes serve the same documents,
 * each passing on to the others what it committed (updates, with the Yjs client-id bindings they
 * introduced) and what its clients said (filtered awareness), over one Redis channel per
 * document; app-wide events travel as JSON on one more channel. Without REDIS_URL the no-op
 * fan-out keeps a single instance exactly as it was. Rooms subscribe before they load and
 * unsubscribe when they unload (rooms.ts).
 */
import { randomUUID } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Kinds of document messages between instances (first varUint after the sender's id). */
export const FanoutMessageType = {
	/** An update committed by the sender, with the client-id bindings it introduced. */
	Update: 0,
	/** An awareness update already filtered by the sender (only entries about their senders). */
	Awareness: 1
} as const;

/** A message about one document, from another instance. */
export type DocMessage =
	| { type: typeof FanoutMessageType.Update; update: Uint8Array; bindings: ReadonlyArray<readonly [clientId: number, userId: string]> }
	| { type: typeof FanoutMessageType.Awareness; update: Uint8Array };

/** Receives a document's messages from other instances (never the instance's own). */
export type DocMessageHandler = (message: DocMessage) => void;

/** Publish/subscribe between instances: per document, plus one channel of app-wide events. */
export interface Fanout {
	/** 'redis', or 'none' when there is one instance. */
	readonly kind: 'redis' | 'none';
	/** Tells every other instance about `docName` (fire and forget; order per document is kept). */
	publish(docName: string, message: DocMessage): void;
	/** Hears `docName` from other instances; resolves once subscribed, to the unsubscribe function. */
	subscribe(docName: string, handler: DocMessageHandler): Promise<() => void>;
	/** Tells every other instance an app-wide event (JSON-serializable). */
	publishEvent(event: unknown): void;
	/** Hears other instances' app-wide events; returns the unsubscribe function. */
	onEvent(handler: (event: unknown) => void): () => void;
	/** Called after the connection to the others came back: what was published meanwhile is lost. */
	onReconnect(handler: () => void): () => void;
	/** Closes the connections (after the relay closed, so its last messages still leave). */
	close(): Promise<void>;
}

/** One instance: nothing to tell, nothing to hear, nothing to connect to. */
export class NoFanout implements Fanout {
	readonly kind = 'none';
	publish(): void {}
	async subscribe(): Promise<() => void> {
		return () => {};
	}
	publishEvent(): void {}
	onEvent(): () => void {
		return () => {};
	}
	onReconnect(): () => void {
		return () => {};
	}
	async close(): Promise<void> {}
}

/** Channel names: `<prefix>doc:<docName>` per document, `<prefix>events` for app-wide events. */
const CHANNEL = {
	doc: (prefix: string, docName: string) => `${prefix}doc:${docName}`,
	events: (prefix: string) => `${prefix}events`
};

/** The default channel prefix; tests use their own so parallel runs on one Redis stay apart. */
export const DEFAULT_FANOUT_PREFIX = 'parley:';

/** Encodes a document message: `[sender: varString, type: varUint, payload…]`. */
export function encodeDocMessage(instanceId: string, message: DocMessage): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, instanceId);
	encoding.writeVarUint(encoder, message.type);
	encoding.writeVarUint8Array(encoder, message.update);
	if (message.type === FanoutMessageType.Update) {
		encoding.writeVarUint(encoder, message.bindings.length);
		for (const [clientId, userId] of message.bindings) {
			encoding.writeVarUint(encoder, clientId);
			encoding.writeVarString(encoder, userId);
		}
	}
	return encoding.toUint8Array(encoder);
}

/** Decodes a document message; throws on anything malformed. */
export function decodeDocMessage(bytes: Uint8Array): { from: string; message: DocMessage } {
	const decoder = decoding.createDecoder(bytes);
	const from = decoding.readVarString(decoder);
	const type = decoding.readVarUint(decoder);
	const update = decoding.readVarUint8Array(decoder);
	let message: DocMessage;
	if (type === FanoutMessageType.Update) {
		const bindings: Array<[number, string]> = [];
		for (let n = decoding.readVarUint(decoder); n > 0; n--) bindings.push([decoding.readVarUint(decoder), decoding.readVarString(decoder)]);
		message = { type, update, bindings };
	} else if (type === FanoutMessageType.Awareness) message = { type, update };
	else throw new Error(`unknown fan-out message type ${type}`);
	if (decoding.hasContent(decoder)) throw new Error('trailing bytes after a fan-out message');
	return { from, message };
}

/**
 * Fan-out through Redis pub/sub: one connection publishes, one subscribes (a subscribed
 * connection can do nothing else). Messages carry this instance's id, because Redis also
 * delivers them to their sender's own subscription.
 */
export class RedisFanout implements Fanout {
	readonly kind = 'redis';
	readonly instanceId = randomUUID();
	readonly #publisher: Redis;
	readonly #subscriber: Redis;
	readonly #prefix: string;
	readonly #log: Logger;
	/** channel → handlers; Redis is subscribed to a channel while its set is not empty. */
	readonly #docHandlers = new Map<string, Set<DocMessageHandler>>();
	readonly #eventHandlers = new Set<(event: unknown) => void>();
	readonly #reconnectHandlers = new Set<() => void>();
	#ready = false;

	private constructor(url: string, options: { prefix: string; log: Logger }) {
		this.#prefix = options.prefix;
		this.#log = options.log;
		// Named, so `CLIENT LIST` shows whose connections these are (and tests can count them).
		const common = { connectionName: `${options.prefix}${this.instanceId}`, lazyConnect: true };
		this.#publisher = new Redis(url, common);
		this.#subscriber = new Redis(url, common);
		for (const [role, redis] of [
			['publisher', this.#publisher],
			['subscriber', this.#subscriber]
		] as const)
			// Without a listener an 'error' event would end the process; ioredis reconnects by itself.
			redis.on('error', (error) => this.#log.warn({ err: error, role }, 'redis connection error'));
		this.#subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#receive(channel.toString(), message));
		// ioredis subscribes again by itself after a reconnect, but what was published meanwhile is
		// gone: rooms reload from storage (the first 'ready' is the initial connect, not a reconnect).
		this.#subscriber.on('ready', () => {
			if (!this.#ready) return void (this.#ready = true);
			// 'ready' comes just before ioredis sends the SUBSCRIBEs again; a PING sent now is answered
			// after them, so a reload that starts then misses nothing published later.
			this.#subscriber.ping().then(
				() => {
					this.#log.info('redis subscriber reconnected: resyncing loaded documents');
					for (const handler of this.#reconnectHandlers) handler();
				},
				(error) => this.#log.warn({ err: error }, 'redis subscriber lost again while resyncing')
			);
		});
	}

	/** Connects both connections and subscribes to the events channel; throws when Redis is unreachable. */
	static async connect(url: string, options: { prefix?: string; log: Logger }): Promise<RedisFanout> {
		const fanout = new RedisFanout(url, { prefix: options.prefix ?? DEFAULT_FANOUT_PREFIX, log: options.log });
		try {
			await Promise.all([fanout.#publisher.connect(), fanout.#subscriber.connect()]);
			await fanout.#subscriber.subscribe(CHANNEL.events(fanout.#prefix));
		} catch (error) {
			fanout.#publisher.disconnect();
			fanout.#subscriber.disconnect();
			throw error;
		}
		return fanout;
	}

	publish(docName: string, message: DocMessage): void {
		const bytes = encodeDocMessage(this.instanceId, message);
		this.#publisher
			.publish(CHANNEL.doc(this.#prefix, docName), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
			.catch((error) => this.#log.warn({ err: error, doc: docName }, 'fan-out publish failed'));
	}

	async subscribe(docName: string, handler: DocMessageHandler): Promise<() => void> {
		const channel = CHANNEL.doc(this.#prefix, docName);
		let handlers = this.#docHandlers.get(channel);
		if (!handlers) this.#docHandlers.set(channel, (handlers = new Set()));
		handlers.add(handler);
		// Commands on one connection run in order, so an UNSUBSCRIBE of an earlier room of the same
		// name (dropped, then loaded again) cannot overtake this SUBSCRIBE.
		if (handlers.size === 1) {
			try {
				await this.#subscriber.subscribe(channel);
			} catch (error) {
				this.#remove(channel, handler);
				throw error;
			}
		}
		return () => this.#remove(channel, handler);
	}

	publishEvent(event: unknown): void {
		this.#publisher
			.publish(CHANNEL.events(this.#prefix), JSON.stringify({ from: this.instanceId, event }))
			.catch((error) => this.#log.warn({ err: error }, 'fan-out event publish failed'));
	}

	onEvent(handler: (event: unknown) => void): () => void {
		this.#eventHandlers.add(handler);
		return () => this.#eventHandlers.delete(handler);
	}

	onReconnect(handler: () => void): () => void {
		this.#reconnectHandlers.add(handler);
		return () => this.#reconnectHandlers.delete(handler);
	}

	async close(): Promise<void> {
		this.#reconnectHandlers.clear();
		// QUIT waits for the commands before it (the relay's last publishes); a dead link cannot.
		await Promise.all(
			[this.#publisher, this.#subscriber].map((redis) =>
				redis.status === 'ready' ? redis.quit().catch(() => redis.disconnect()) : Promise.resolve(redis.disconnect())
			)
		);
	}

	#remove(channel: string, handler: DocMessageHandler): void {
		const handlers = this.#docHandlers.get(channel);
		if (!handlers?.delete(handler) || handlers.size > 0) return;
		this.#docHandlers.delete(channel);
		this.#subscriber.unsubscribe(channel).catch((error) => this.#log.debug({ err: error, channel }, 'unsubscribe failed'));
	}

	#receive(channel: string, bytes: Buffer): void {
		try {
			if (channel === CHANNEL.events(this.#prefix)) {
				const { from, event } = JSON.parse(bytes.toString('utf8')) as { from: string; event: unknown };
				if (from === this.instanceId) return;
				for (const handler of this.#eventHandlers) handler(event);
				return;
			}
			const handlers = this.#docHandlers.get(channel);
			if (!handlers) return;
			const { from, message } = decodeDocMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
			if (from === this.instanceId) return;
			for (const handler of handlers) handler(message);
		} catch (error) {
			// Only our instances publish here; a message that does not decode is a bug or a foreign
			// publisher on our prefix, and must not take the process down.
			this.#log.error({ err: error, channel }, 'fan-out message dropped');
		}
	}
}

/** The fan-out of a process: Redis when `redisUrl` is set, else none (nothing connects). */
export async function openFanout(options: { redisUrl: string | undefined; prefix?: string; log: Logger }): Promise<Fanout> {
	if (!options.redisUrl) return new NoFanout();
	return RedisFanout.connect(options.redisUrl, { prefix: options.prefix, log: options.log });
}
