// Stock y-websocket clients for tests, signed in through a session cookie like a browser.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';

/** Waits until `condition()` is truthy, checking on every turn of the event loop (no fixed sleeps). */
export async function waitFor<T>(condition: () => T | Promise<T>, { timeoutMs = 10_000, what = 'condition' } = {}): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await condition();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** Tries a WebSocket upgrade and reports the HTTP status it was answered with (101 when it opened). */
export function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, { headers });
		ws.on('open', () => {
			ws.close();
			resolve(101);
		});
		ws.on('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			ws.terminate();
		});
		ws.on('error', reject);
	});
}

/** A WebSocket class that sends the given headers (cookie, origin) on the upgrade. */
export function socketWith(headers: Record<string, string>): typeof WebSocket {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	} as typeof WebSocket;
}

export interface SyncClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Permission-denied reasons the relay sent to this client. */
	denied: string[];
	/** Close codes this client's socket saw. */
	closes: number[];
	synced(): Promise<void>;
	destroy(): void;
}

/** Connects a stock WebsocketProvider to `/sync/<docName>` with a Cookie header. */
export function connectClient(options: { url: string; docName: string; cookie: string; doc?: Y.Doc; origin?: string }): SyncClient {
	const doc = options.doc ?? new Y.Doc();
	const headers: Record<string, string> = { cookie: options.cookie };
	if (options.origin) headers.origin = options.origin;
	const provider = new WebsocketProvider(options.url.replace(/^http/, 'ws') + '/sync', options.docName, doc, {
		WebSocketPolyfill: socketWith(headers) as never,
		disableBc: true,
		maxBackoffTime: 200
	});
	const denied: string[] = [];
	const closes: number[] = [];
	// Observe the stock auth handler's input without changing what the client does with it.
	const stockAuth = provider.messageHandlers[2]!;
	provider.messageHandlers[2] = (encoder, decoder, p, emitSynced, type) => {
		const copy = decoding.clone(decoder);
		if (decoding.readVarUint(copy) === 0) denied.push(decoding.readVarString(copy));
		stockAuth(encoder, decoder, p, emitSynced, type);
	};
	provider.on('connection-close', (event) => {
		if (event) closes.push(event.code);
	});
	return {
		doc,
		provider,
		denied,
		closes,
		synced: () => waitFor(() => provider.synced, { what: `sync of ${options.docName}` }).then(() => {}),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** The people's messages in a conversation document (the server's system notices left out). */
export const messagesOf = (doc: Y.Doc) =>
	(doc.getArray<Record<string, unknown>>('messages').toJSON() as Array<Record<string, unknown>>).filter((m) => m.kind !== 'system');

/** Stock clients opened as various users against one server, all destroyed together. */
export function clientPool(serverUrl: () => string) {
	const clients: SyncClient[] = [];
	const open = (user: { cookie: string }, docName: string) => {
		const client = connectClient({ url: serverUrl(), docName, cookie: user.cookie });
		clients.push(client);
		return client;
	};
	return {
		open,
		/** The user's inbox document (its name from GET /api/me). */
		inboxOf: async (user: { cookie: string; client: { get(path: string): Promise<{ data: { inboxDocName: string } }> } }) =>
			open(user, (await user.client.get('/api/me')).data.inboxDocName),
		destroyAll: () => clients.splice(0).forEach((client) => client.destroy())
	};
}
